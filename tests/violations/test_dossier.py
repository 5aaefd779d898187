"""The designation dossier on the seeded scenario (SQLite and PostgreSQL): each regime lists
the torture act under the criterion its legal text gives, with its source's rating; readers
get only what their role reads and never a sensitive value; FtM entities validate; exports
are audited with counts, never values."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import InputError, NotFoundError
from rightsdesk.core.security.models import AuditEntry
from rightsdesk.monitoring.violations.access import Principal
from rightsdesk.monitoring.violations.dossier import Dossier
from rightsdesk.monitoring.violations.dossier_build import audit_export, build_dossier
from rightsdesk.monitoring.violations.dossier_criteria import REGIMES, get_regime
from rightsdesk.monitoring.violations.dossier_ftm import dossier_entities, validate_entities
from rightsdesk.monitoring.violations.dossier_pdf import print_html
from rightsdesk.monitoring.violations.models import LEVELS
from tests.violations.conftest import SECRETS, Seeded

#: the criterion under which a commander's torture falls, per regime (a: responsible)
TORTURE_CRITERION = {"us-glomag": "A", "eu-ghrsr": "a", "uk-ghr": "6-2-a"}


def who(seeded: Seeded, role: str) -> Principal:
    return Principal(user_id=seeded.users[role], name=role, role=role)


def texts(dossier: Dossier) -> str:
    """Everything the dossier exports, as one text: JSON, FtM and the HTML printed to PDF."""
    return "\n".join(
        [
            json.dumps(dossier.to_dict(), ensure_ascii=False),
            json.dumps(dossier_entities(dossier), ensure_ascii=False),
            print_html(dossier),
        ]
    )


def test_each_regime_lists_the_torture_under_its_criterion(
    violations_settings: tuple[Settings, Seeded],
) -> None:
    settings, seeded = violations_settings
    with session_scope(settings.database_url) as session:
        for key, criterion in TORTURE_CRITERION.items():
            d = build_dossier(session, who(seeded, "editor"), seeded.perpetrator, key)
            assert d.regime.key == key and d.identity.name == "Colonel Test Perpetrator"
            # the editor reads up to confidential (its own and the collector's events), and
            # its own strictly confidential event: the creator always reads its records
            assert len(d.acts) == 7 and {a.act_type for a in d.acts} == {"torture"}
            found = {c.key: c for c in d.criteria}[criterion]
            assert not found.gap and len(found.acts) == 7
            act = found.acts[0]
            assert (act.role, act.standing, act.act_label) == ("commanded", "alleged", "Torture")
            assert act.abuse_citation is not None
            ratings = {d.source(n).rating for a in found.acts for n in a.source_numbers}
            assert ratings == {"B2"}
            assert d.strength.strong_sources == d.strength.sources == 7
            assert d.strength.acts_alleged == 7 and d.strength.acts_established == 0
            # nothing documents aid or support: shown as a gap, not left out
            assert any(c.gap for c in d.criteria)
            assert set(d.levels) == set(LEVELS)
        eu = build_dossier(session, who(seeded, "editor"), seeded.perpetrator, "eu-ghrsr")
        torture = {a.key: a for a in eu.abuses}["torture"]
        assert torture.citation == "Reg. 2020/1998 art. 2(1)(c)(i)" and torture.acts == 7
        session.rollback()


def test_readers_get_only_what_they_may_read(
    violations_settings: tuple[Settings, Seeded],
) -> None:
    settings, seeded = violations_settings
    with session_scope(settings.database_url) as session:
        analyst = build_dossier(session, who(seeded, "analyst"), seeded.perpetrator, "uk-ghr")
        assert {a.confidentiality for a in analyst.evidence} == {"public", "restricted"}
        assert len(analyst.evidence) == 4 and len(analyst.sources) == 4
        text = texts(analyst)
        assert "confidential" not in {s.confidentiality for s in analyst.sources}
        # an admin reads every level and every name, yet no witness or victim name leaves
        admin = build_dossier(session, who(seeded, "admin"), seeded.perpetrator, "uk-ghr")
        assert len(admin.evidence) == 8
        text += texts(admin)
        for value in SECRETS.values():
            assert value not in text
        assert "witness" in text  # the source is shown by its type
        # the viewer may not read the (restricted) perpetrator: it does not exist for them
        with pytest.raises(NotFoundError):
            build_dossier(session, who(seeded, "viewer"), seeded.perpetrator, "uk-ghr")
        with pytest.raises(InputError, match="unknown regime"):
            build_dossier(session, who(seeded, "admin"), seeded.perpetrator, "un-1267")
        session.rollback()


def test_ftm_entities_validate(violations_sqlite: tuple[Settings, Seeded]) -> None:
    settings, seeded = violations_sqlite
    with session_scope(settings.database_url) as session:
        for key in REGIMES:
            d = build_dossier(session, who(seeded, "admin"), seeded.perpetrator, key)
            entities = dossier_entities(d)
            schemata = [e["schema"] for e in entities]
            assert schemata.count("Person") == 1 and schemata.count("Sanction") == 1
            assert schemata.count("Event") == 8 and schemata.count("Article") == 8
            proposal = next(e for e in entities if e["schema"] == "Sanction")
            assert proposal["properties"]["programId"] == [get_regime(key).program_key]
            assert proposal["properties"]["status"] == ["proposed"]
            validate_entities(entities)
        person = entities[0]
        bad_date = {**person["properties"], "birthDate": ["not a date"]}
        with pytest.raises(InputError, match="birthDate|cleans"):
            validate_entities([dict(person, properties=bad_date)])
        with pytest.raises(InputError, match="Person needs 'name'"):
            validate_entities([dict(person, properties={"alias": ["x"]})])
        dangling = [{"id": "x", "schema": "Sanction", "properties": {"entity": ["nobody"]}}]
        with pytest.raises(InputError, match="refers to no exported entity"):
            validate_entities(dangling)
        wrong = {"id": "y", "schema": "Event", "properties": {"name": ["e"], "involved": ["x"]}}
        with pytest.raises(InputError, match="involved must refer to a LegalEntity"):
            validate_entities([dangling[0] | {"properties": {"entity": ["y"]}}, wrong])
        session.rollback()


def test_exports_and_confidential_reads_are_audited(
    violations_sqlite: tuple[Settings, Seeded],
) -> None:
    settings, seeded = violations_sqlite
    with session_scope(settings.database_url) as session:
        editor = who(seeded, "editor")
        d = build_dossier(session, editor, seeded.perpetrator, "eu-ghrsr")
        audit_export(session, editor, d, "ftm")
    with session_scope(settings.database_url) as session:
        entries = list(session.scalars(select(AuditEntry).where(AuditEntry.actor == "editor")))
    export = [e for e in entries if e.action == "export"]
    assert len(export) == 1 and export[0].entity == "violation_dossier"
    after: dict[str, Any] = dict(export[0].after or {})
    assert after["format"] == "ftm" and after["criteria"]["regime"] == "eu-ghrsr"
    assert after["criteria"]["acts"] == 7 and after["criteria"]["perpetrator_id"] > 0
    reads = [e for e in entries if e.action == "read" and e.entity == "violation_event"]
    # two confidential events and the editor's own strictly confidential one; public and
    # restricted reads are not logged
    assert len(reads) == 3
    dumped = json.dumps([e.after for e in entries])
    assert not any(value in dumped for value in SECRETS.values())
