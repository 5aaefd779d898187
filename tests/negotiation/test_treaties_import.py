"""Treaty importers on the real files, on SQLite and PostgreSQL: known facts, idempotence,
source precedence, and malformed copies that must fail cleanly and leave the store as it was."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import EncodingError, InputError, MissingColumnError
from rightsdesk.core.importing import ImportReport, run_import
from rightsdesk.core.provenance import Dataset
from rightsdesk.core.security.models import AuditEntry
from rightsdesk.forms import get_importer
from rightsdesk.negotiation.treaties import service as svc
from rightsdesk.negotiation.treaties.matrix import party_counts, signatory_counts
from rightsdesk.negotiation.treaties.models import Ratification, Reservation

UNTC = "negotiation/treaties/un_hr_ratifications.csv"
UNTREATIES = "negotiation/treaties/untreaties/treaties"
DECLARATIONS = "negotiation/treaties/untreaties/declarations"


def do_import(
    settings: Settings,
    pairs: list[tuple[str, Path]],
    force: bool = False,
    replace: bool = False,
) -> list[ImportReport]:
    """Import in one transaction, as ``rightsdesk import`` does."""
    with session_scope(settings.database_url) as s:
        return [
            run_import(s, get_importer(k), p, actor="test", force=force, replace=replace)
            for k, p in pairs
        ]


def snapshot(settings: Settings) -> tuple[object, ...]:
    """Everything an import could change, to compare before and after a failure."""
    with session_scope(settings.database_url) as s:
        rats = sorted(
            s.execute(
                select(
                    Ratification.iso3,
                    Ratification.instrument_short,
                    Ratification.status,
                    Ratification.consent_date,
                    Ratification.dataset_id,
                )
            ).all()
        )
        return (
            rats,
            s.scalar(select(func.count()).select_from(Reservation)),
            s.scalar(select(func.count()).select_from(Dataset)),
            s.scalar(select(func.count()).select_from(AuditEntry)),
        )


def standing(session: Session, iso3: str, short: str) -> Ratification | None:
    return session.scalars(
        select(Ratification).where(
            Ratification.iso3 == iso3, Ratification.instrument_short == short
        )
    ).first()


def test_untc_known_facts(settings: Settings, session: Session, shared_data: Path) -> None:
    (report,) = do_import(settings, [("untc-ratifications", shared_data / UNTC)])
    assert report.rows_read == 2567 and report.inserted == 2567 and report.rejected == 0
    nor = standing(session, "NOR", "ICCPR")
    assert nor is not None and nor.status == "ratified"
    assert nor.consent_date == date(1972, 9, 13) and nor.signature_date == date(1968, 3, 20)
    assert nor.dataset_id == report.dataset_id
    usa = standing(session, "USA", "ICESCR")
    assert usa is not None and usa.status == "signed" and usa.consent_date is None
    assert usa.signature_date == date(1977, 10, 5)
    gaps = {g.instrument: g for g in svc.state_gaps(session, "United States of America")}
    assert gaps["ICESCR"].signed and "not ratified" in gaps["ICESCR"].note
    assert "ICCPR" not in gaps  # ratified 1992
    # The 2026 table lists 197 states for the CRC: 196 with a ratification, accession or
    # succession (all UN members but the United States, plus the Holy See, the State of
    # Palestine, the Cook Islands and Niue) and the United States with a signature only.
    counts = party_counts(session)
    assert counts["CRC"] == 196
    assert signatory_counts(session)["CRC"] == 1
    assert len(counts) == 18
    # the EU is a party to the CRPD (formal confirmation is reported as a ratification)
    eu = standing(session, "EUU", "CRPD")
    assert eu is not None and eu.status == "ratified"
    assert [g.instrument for g in svc.state_gaps(session, "EUU")] == ["OP-CRPD"]


def test_reimport_changes_nothing(settings: Settings, shared_data: Path) -> None:
    pairs = [
        ("untc-ratifications", shared_data / UNTC),
        ("untreaties", shared_data / UNTREATIES / "4-4.csv"),
        ("untreaties-reservations", shared_data / DECLARATIONS / "4-4.txt"),
    ]
    first = do_import(settings, pairs)
    assert first[2].inserted == 64  # 67 participants, 3 with no text
    before = snapshot(settings)
    again = do_import(settings, pairs)
    assert all(r.skipped_file and not r.changed for r in again)
    forced = do_import(settings, pairs, force=True)
    for r in forced:
        assert (r.inserted, r.updated, r.rejected) == (0, 0, 0), r
        assert r.unchanged == r.rows_read - (3 if r.kind == "untreaties-reservations" else 0)
    after = snapshot(settings)
    assert after[:2] == before[:2]  # same rows, same dataset links


def test_newer_untc_wins_in_either_order(settings: Settings, shared_data: Path) -> None:
    """ICCPR-OP1: Jamaica and Trinidad and Tobago denounced it; the 2015 scrape still lists
    them, the 2026 table does not. Both orders end with the same rows."""
    old = ("untreaties", shared_data / UNTREATIES / "4-5.csv")
    new = ("untc-ratifications", shared_data / UNTC)
    (r_old,) = do_import(settings, [old])
    assert r_old.inserted == 121
    with session_scope(settings.database_url) as s:
        assert standing(s, "JAM", "ICCPR-OP1") is not None
    (r_new,) = do_import(settings, [new])
    # without --replace the newer table adds and updates, and keeps the rows it does not list
    assert r_new.deleted == 0 and any("kept 3" in m for m in r_new.messages)
    with session_scope(settings.database_url) as s:
        assert standing(s, "JAM", "ICCPR-OP1") is not None
    (r_new,) = do_import(settings, [new], replace=True)
    assert r_new.deleted == 3 and any("deleted 3" in m for m in r_new.messages)
    one_way = snapshot(settings)[0]
    with session_scope(settings.database_url) as s:
        assert standing(s, "JAM", "ICCPR-OP1") is None
        kinds = set(s.scalars(select(Ratification.source_kind).distinct()))
        assert kinds == {"untc-ratifications"}
    # importing the old file again (forced) changes nothing: the newer rows win
    (again,) = do_import(settings, [old], force=True)
    assert (again.inserted, again.updated) == (0, 0)
    assert snapshot(settings)[0] == one_way


def test_skips_non_core_chapter_iv_files(settings: Settings, shared_data: Path) -> None:
    genocide = shared_data / UNTREATIES / "4-1.csv"
    assert get_importer("untreaties").sniff(genocide)
    (report,) = do_import(settings, [("untreaties", genocide)])
    assert report.rejected == 0 and report.inserted == 0
    assert "not one of the 18 core instruments" in report.messages[0]


def test_reservations(settings: Settings, session: Session, shared_data: Path) -> None:
    do_import(
        settings,
        [
            ("untreaties-reservations", shared_data / DECLARATIONS / "4-4.txt"),
            ("untreaties-reservations", shared_data / DECLARATIONS / "4-9.txt"),
        ],
    )
    usa = svc.list_reservations(session, "USA", "CAT")
    assert len(usa) == 1 and "Fifth, Eighth, and/or Fourteenth Amendments" in usa[0].text
    afg = svc.list_reservations(session, "AFG", "ICCPR")
    assert afg[0].refers_to == "IV-3"  # "See chapter IV.3."


# --- malformed copies -------------------------------------------------------------------------


def _rewrite_csv(src: Path, dst: Path, edit: object) -> None:
    rows = list(csv.reader(io.StringIO(src.read_text("utf-8"))))
    edit(rows)  # type: ignore[operator]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    dst.write_text(buf.getvalue(), "utf-8")


def _baseline(settings: Settings, shared_data: Path) -> tuple[object, ...]:
    do_import(settings, [("untreaties", shared_data / UNTREATIES / "4-4.csv")])
    return snapshot(settings)


def test_bad_date_rolls_back(settings: Settings, shared_data: Path, tmp_path: Path) -> None:
    before = _baseline(settings, shared_data)
    bad = tmp_path / "un_hr_ratifications.csv"

    def edit(rows: list[list[str]]) -> None:
        rows[1500][4] = "1999-02-30"  # file line 1501

    _rewrite_csv(shared_data / UNTC, bad, edit)
    good = shared_data / UNTREATIES / "4-2.csv"
    with pytest.raises(InputError) as err:
        do_import(settings, [("untreaties", good), ("untc-ratifications", bad)])
    loc = err.value.location
    assert (Path(str(loc.file)).name, loc.line, loc.field) == (bad.name, 1501, "action_date")
    assert "1999-02-30" in err.value.message
    assert snapshot(settings) == before  # the good file of the same command is gone too


def test_untreaties_bad_date(settings: Settings, shared_data: Path, tmp_path: Path) -> None:
    before = _baseline(settings, shared_data)
    bad = tmp_path / "4-9.csv"

    def edit(rows: list[list[str]]) -> None:
        rows[40][2] = "31 Foo 1990 a"

    _rewrite_csv(shared_data / UNTREATIES / "4-9.csv", bad, edit)
    with pytest.raises(InputError) as err:
        do_import(settings, [("untreaties", bad)])
    assert err.value.location.line == 41
    assert err.value.location.field == "Accession(a), Succession(d), Ratification"
    assert snapshot(settings) == before


def test_missing_column(settings: Settings, shared_data: Path, tmp_path: Path) -> None:
    before = _baseline(settings, shared_data)
    bad = tmp_path / "un_hr_ratifications.csv"

    def edit(rows: list[list[str]]) -> None:
        for row in rows:
            del row[3]  # action_type

    _rewrite_csv(shared_data / UNTC, bad, edit)
    with pytest.raises(MissingColumnError) as err:
        do_import(settings, [("untc-ratifications", bad)])
    assert err.value.location.field == "action_type" and err.value.location.line == 1
    assert snapshot(settings) == before


def test_unknown_state(settings: Settings, shared_data: Path, tmp_path: Path) -> None:
    before = _baseline(settings, shared_data)
    bad = tmp_path / "4-11.csv"

    def edit(rows: list[list[str]]) -> None:
        rows[100][0] = "Narnia"

    _rewrite_csv(shared_data / UNTREATIES / "4-11.csv", bad, edit)
    with pytest.raises(InputError) as err:
        do_import(settings, [("untreaties", bad)])
    assert (err.value.location.line, err.value.location.field) == (101, "Participant")
    assert "Narnia" in err.value.message
    assert snapshot(settings) == before


def test_latin1_file(settings: Settings, shared_data: Path, tmp_path: Path) -> None:
    before = _baseline(settings, shared_data)
    bad = tmp_path / "un_hr_ratifications.csv"
    text = (shared_data / UNTC).read_text("utf-8")
    bad.write_bytes(text.encode("latin-1", errors="replace"))  # Côte d'Ivoire, Türkiye
    with pytest.raises(EncodingError) as err:
        do_import(settings, [("untc-ratifications", bad)])
    first = next(i for i, ch in enumerate(text) if ord(ch) > 127)
    assert err.value.location.line == text[:first].count("\n") + 1
    assert snapshot(settings) == before


def test_declarations_without_header(settings: Settings, shared_data: Path, tmp_path: Path) -> None:
    before = _baseline(settings, shared_data)
    bad = tmp_path / "4-9.txt"
    bad.write_text("stray text\n" + (shared_data / DECLARATIONS / "4-9.txt").read_text("utf-8"))
    with pytest.raises(InputError) as err:
        do_import(settings, [("untreaties-reservations", bad)])
    assert (err.value.location.line, err.value.location.field) == (1, "Participant")
    assert snapshot(settings) == before


def test_actions_of_one_pair_are_merged(
    settings: Settings, session: Session, shared_data: Path, tmp_path: Path
) -> None:
    """A signature and a ratification given as two rows make one standing."""
    copy = tmp_path / "un_hr_ratifications.csv"

    def edit(rows: list[list[str]]) -> None:
        header = rows[0]
        keep = [r for r in rows[1:] if (r[0], r[1]) == ("Norway", "iccpr")]
        sig = list(keep[0])
        sig[header.index("action_type")] = "Signature"
        sig[header.index("action_date")] = sig[header.index("signature_date")]
        sig[header.index("signature_date")] = ""
        rat = list(keep[0])
        rat[header.index("signature_date")] = ""
        rows[1:] = [sig, rat]

    _rewrite_csv(shared_data / UNTC, copy, edit)
    (report,) = do_import(settings, [("untc-ratifications", copy)])
    assert (report.rows_read, report.inserted) == (2, 1)
    nor = standing(session, "NOR", "ICCPR")
    assert nor is not None and nor.status == "ratified"
    assert (nor.signature_date, nor.consent_date) == (date(1968, 3, 20), date(1972, 9, 13))
