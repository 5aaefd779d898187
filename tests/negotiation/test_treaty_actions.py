"""The UN Treaty Collection status pages and the OHCHR dashboard export, on the real files and
both stores: denunciations, former states, competence declarations, reservation items,
precedence over the other sources, idempotence, and bad pages that must leave the store as it
was."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import InputError
from rightsdesk.core.importing import ImportReport, run_import
from rightsdesk.forms import detect_importer, get_importer
from rightsdesk.negotiation.treaties import actions as acts
from rightsdesk.negotiation.treaties.matrix import party_counts, signatory_counts
from rightsdesk.negotiation.treaties.models import (
    Competence,
    Ratification,
    ReservationItem,
    TreatyAction,
)

PAGES = "negotiation/treaties/untc-status-html"
XLS = "negotiation/treaties/ohchr-dashboard/UnderlyingData_ICESCR_OHCHR_23_04_2026.xls"
UNTC_CSV = "negotiation/treaties/un_hr_ratifications.csv"


def do_import(
    settings: Settings, pairs: list[tuple[str, Path]], force: bool = False
) -> list[ImportReport]:
    with session_scope(settings.database_url) as s:
        return [run_import(s, get_importer(k), p, actor="test", force=force) for k, p in pairs]


def pages(shared_data: Path, *stems: str) -> list[tuple[str, Path]]:
    return [("untc-status-html", shared_data / PAGES / f"{stem}.html") for stem in stems]


def row(session: Session, iso3: str, short: str) -> Ratification:
    found = session.scalars(
        select(Ratification).where(
            Ratification.iso3 == iso3, Ratification.instrument_short == short
        )
    ).one()
    return found


def counts(settings: Settings) -> tuple[object, ...]:
    with session_scope(settings.database_url) as s:
        return tuple(
            s.scalar(select(func.count()).select_from(m))
            for m in (Ratification, TreatyAction, Competence, ReservationItem)
        ) + (
            sorted(
                s.execute(
                    select(Ratification.iso3, Ratification.instrument_short, Ratification.status)
                ).all()
            ),
        )


def test_status_pages_facts(settings: Settings, session: Session, shared_data: Path) -> None:
    do_import(settings, pages(shared_data, "iccpr_op1", "cerd", "iccpr"))
    # Trinidad and Tobago: acceded 1980, denounced 1998, re-acceded with a reservation the day
    # the denunciation took effect, denounced again in 2000
    tto = row(session, "TTO", "ICCPR-OP1")
    assert tto.status == "denounced"
    assert tto.denounced_on == date(2000, 3, 27)
    assert tto.denunciation_effective == date(2000, 6, 27)
    assert tto.consent_date == date(1998, 8, 26)
    history = [
        (a.action, a.action_date, a.effective_date)
        for a in session.scalars(
            select(TreatyAction)
            .where(TreatyAction.iso3 == "TTO", TreatyAction.instrument_short == "ICCPR-OP1")
            .order_by(TreatyAction.action_date)
        )
    ]
    assert history == [
        ("accession", date(1980, 11, 14), None),
        ("denunciation", date(1998, 5, 26), date(1998, 8, 26)),
        ("re-accession", date(1998, 8, 26), None),
        ("denunciation", date(2000, 3, 27), date(2000, 6, 27)),
    ]
    # Jamaica: the note gives the notification only; three months' notice (art. 12)
    jam = row(session, "JAM", "ICCPR-OP1")
    assert jam.status == "denounced" and jam.denounced_on == date(1997, 10, 23)
    assert jam.denunciation_effective == date(1998, 1, 23)
    assert acts.status_label(jam) == "denounced (effective 1998-01-23)"
    # counts of parties: denounced states are out today, in while they were parties
    assert "TTO" in acts.parties_at(session, "ICCPR-OP1", date(1999, 1, 1))
    assert "TTO" not in acts.parties_at(session, "ICCPR-OP1", date(2001, 1, 1))
    assert "GUY" in acts.parties_at(session, "ICCPR-OP1", date(2020, 1, 1))
    today = set(acts.parties_at(session, "ICCPR-OP1", date(2026, 1, 1)))
    assert not today & {"TTO", "JAM", "BLR"}
    assert party_counts(session)["ICCPR-OP1"] == len(today)
    # Germany's ICERD art. 14 declaration, with its date
    deu = session.scalars(
        select(Competence).where(
            Competence.iso3 == "DEU",
            Competence.instrument_short == "ICERD",
            Competence.article == "14",
        )
    ).one()
    assert (deu.procedure, deu.kind, deu.declared_on) == (
        "individual",
        "acceptance",
        date(2001, 8, 30),
    )
    # the German Democratic Republic ratified the ICCPR: party until its end, never "signed"
    ddr = row(session, "DDR", "ICCPR")
    assert ddr.status == "ratified" and ddr.consent_date == date(1973, 11, 8)
    assert ddr.party_until == date(1990, 10, 3)
    assert "DDR" in acts.parties_at(session, "ICCPR", date(1980, 1, 1))
    assert "DDR" not in acts.parties_at(session, "ICCPR", date(1991, 1, 1))
    csk = row(session, "CSK", "ICCPR")
    assert csk.status == "ratified" and csk.consent_date == date(1975, 12, 23)
    assert csk.party_until == date(1992, 12, 31)
    # Malta's ICCPR reservations, one item per numbered paragraph, with kind and articles
    malta = session.scalars(
        select(ReservationItem)
        .where(ReservationItem.iso3 == "MLT", ReservationItem.instrument_short == "ICCPR")
        .order_by(ReservationItem.ordinal)
    ).all()
    assert [m.kind for m in malta] == ["reservation"] * 6
    assert [m.articles.split(",")[0] for m in malta] == ["13", "14", "14", "19", "20", "22"]
    # objections name the state objected to
    objections = session.scalars(
        select(ReservationItem).where(
            ReservationItem.instrument_short == "ICCPR-OP1", ReservationItem.kind == "objection"
        )
    ).all()
    assert {o.objected_iso3 for o in objections} >= {"TTO", "GUY"}
    # Trinidad and Tobago's 1998 reservation is "to article 1" of the Protocol; the articles
    # 2 and 40 "thereof" its text recalls are the Covenant's, not reserved
    tto_items = session.scalars(
        select(ReservationItem).where(
            ReservationItem.iso3 == "TTO",
            ReservationItem.instrument_short == "ICCPR-OP1",
            ReservationItem.kind == "reservation",
        )
    ).all()
    assert [i.articles for i in tto_items] == ["1"]
    assert "article 40 thereof" in tto_items[0].text


def test_reserved_articles_leave_out_the_parent_treaty() -> None:
    from rightsdesk.negotiation.treaties.sources.untc_text import reserved_articles

    text = (
        "Trinidad and Tobago re-accedes to the Optional Protocol to the International "
        "Covenant on Civil and Political Rights with a Reservation to article 1 thereof. "
        "Its Reservation in no way detracts from its obligations under the Covenant, "
        "the rights recognised in the Covenant as set out in article 2 thereof."
    )
    assert reserved_articles(text, protocol=True) == ["1"]
    assert reserved_articles(text) == ["1", "2"]  # on the Covenant's own page: all
    malta = (
        "Malta accedes on the understanding that article 5, paragraph 2, of the Protocol "
        "means that the Committee established by article 28 of the Covenant shall not ..."
    )
    assert reserved_articles(malta, protocol=True) == ["5"]
    same = "[Same reservation as in respect of article 14(3)(d) of the Covenant.]"
    assert reserved_articles(same, protocol=True) == ["14"]
    charter = "in accordance with Article 103 of the Charter of the United Nations, article 1"
    assert reserved_articles(charter) == ["1"]


def test_precedence_and_idempotence(
    settings: Settings, session: Session, shared_data: Path
) -> None:
    do_import(settings, pages(shared_data, "iccpr_op1", "cedaw"))
    before = counts(settings)
    again = do_import(settings, pages(shared_data, "iccpr_op1", "cedaw"), force=True)
    assert all(r.inserted == 0 and r.updated == 0 for r in again)
    assert counts(settings) == before
    # the older ratification table does not undo the pages' denunciations and former states
    do_import(settings, [("untc-ratifications", shared_data / UNTC_CSV)])
    assert row(session, "TTO", "ICCPR-OP1").status == "denounced"
    assert row(session, "DDR", "CEDAW").status == "ratified"
    assert row(session, "CSK", "CEDAW").status == "ratified"
    # former states no longer inflate the signed-only counts
    signed_only = {
        r.iso3
        for r in session.scalars(
            select(Ratification).where(
                Ratification.instrument_short == "CEDAW", Ratification.status == "signed"
            )
        )
    }
    assert not signed_only & {"DDR", "CSK"}
    assert signatory_counts(session)["CEDAW"] == len(signed_only)


def test_cat_inquiry_opt_outs(settings: Settings, session: Session, shared_data: Path) -> None:
    do_import(settings, pages(shared_data, "cat"))
    rows = {
        (c.iso3, c.kind): c
        for c in session.scalars(
            select(Competence).where(
                Competence.instrument_short == "CAT", Competence.article == "20"
            )
        )
    }
    assert rows[("CHN", "opt-out")].withdrawn is None  # China: art. 28 reservation in force
    assert rows[("MAR", "opt-out")].withdrawn == date(2006, 10, 19)  # withdrawn: accepts
    assert rows[("MAR", "acceptance")].declared_on == date(2006, 10, 19)
    arts = {(c.iso3, c.article) for c in session.scalars(select(Competence))}
    assert {("DEU", "21"), ("DEU", "22")} <= arts


def test_ohchr_dashboard(settings: Settings, session: Session, shared_data: Path) -> None:
    path = shared_data / XLS
    assert detect_importer(path) is not None and detect_importer(path).kind == "ohchr-dashboard"  # type: ignore[union-attr]
    (report,) = do_import(settings, [("ohchr-dashboard", path)])
    assert report.rows_read == 198
    bel = {
        c.article: c
        for c in session.scalars(
            select(Competence).where(
                Competence.iso3 == "BEL", Competence.instrument_short == "OP-ICESCR"
            )
        )
    }
    assert bel["2"].procedure == "individual" and bel["2"].declared_on == date(2014, 5, 20)
    assert bel["11"].procedure == "inquiry" and bel["11"].declared_on == date(2014, 5, 20)
    assert row(session, "USA", "ICESCR").status == "signed"
    # the UNTC page then wins on the ICESCR standings it gives
    do_import(settings, pages(shared_data, "icescr"))
    assert row(session, "AFG", "ICESCR").source_kind == "untc-status-html"


def _bad_pages(tmp_path: Path, shared_data: Path) -> list[Path]:
    other = tmp_path / "cerd.html"
    other.write_text(
        "<!DOCTYPE html><html><head><title>UNTC</title></head><body><p>Treaty collection "
        "home page</p></body></html>\n",
        encoding="utf-8",
    )
    raw = (shared_data / PAGES / "iccpr_op1.html").read_bytes()
    cut = tmp_path / "iccpr_op1.html"
    cut.write_bytes(raw[: len(raw) // 2])
    return [other, cut]


def test_bad_pages_fail_cleanly(settings: Settings, shared_data: Path, tmp_path: Path) -> None:
    do_import(settings, pages(shared_data, "iccpr_op1"))
    before = counts(settings)
    other, cut = _bad_pages(tmp_path, shared_data)
    with pytest.raises(InputError, match="not a UN Treaty Collection status page") as err:
        do_import(settings, [*pages(shared_data, "cerd"), ("untc-status-html", other)])
    assert str(other) in str(err.value)
    with pytest.raises(InputError, match="cut") as err:
        do_import(settings, [("untc-status-html", cut)])
    assert str(cut) in str(err.value)
    assert counts(settings) == before  # the good page of the failed command is not kept


@pytest.mark.slow
def test_import_time_of_the_18_pages(sqlite_settings: Settings, shared_data: Path) -> None:
    files = sorted((shared_data / PAGES).glob("*.html"))
    assert len(files) == 18
    start = time.perf_counter()
    reports = do_import(sqlite_settings, [("untc-status-html", f) for f in files])
    seconds = time.perf_counter() - start
    print(f"\nimport of the 18 UNTC status pages: {seconds:.1f} s")
    assert sum(r.rows_read for r in reports) > 2500
    assert seconds < 120
