"""Words for the codes of violations documentation, as the pages show them.

The closed vocabularies and their words are ``vocab.py``'s; this module adds the phrases the
pages need beyond them (involvement roles, kinds of response, date precision). The tables keep
short codes (``under_review``, ``B``/``2``, ``failed_to_punish``); a desk
officer reads "under review", "usually reliable / probably true", "failed to punish". The
Admiralty scale in particular means nothing as two characters to someone who has not used it,
so each rating is shown with its words and the scale is explained on the event page.
"""

from __future__ import annotations

from collections.abc import Mapping

from rightsdesk.monitoring.violations.access import level_label
from rightsdesk.monitoring.violations.models import ACT_TYPES, LEVELS
from rightsdesk.monitoring.violations.vocab import (
    CREDIBILITY_LABELS,
    RELIABILITY_LABELS,
    STATUS_LABELS,
)

__all__ = ["WORDS", "word"]

ROLE: Mapping[str, str] = {
    "direct": "took part directly",
    "ordered": "ordered it",
    "commanded": "in command",
    "aided": "aided or abetted",
    "failed_to_prevent": "failed to prevent it",
    "failed_to_punish": "failed to punish it",
    "unknown": "part not known",
}
RESPONSE: Mapping[str, str] = {
    "statement": "Public statement",
    "urgent_appeal": "Urgent appeal",
    "demarche": "Démarche",
    "trial_monitoring": "Trial monitoring",
    "communication": "Communication (special procedures)",
    "visit": "Visit",
    "sanctions_proposal": "Sanctions proposal",
    "other": "Other",
}
SOURCE_TYPE: Mapping[str, str] = {
    "victim": "the victim",
    "relative": "a relative",
    "ngo": "NGO",
    "un": "UN source",
    "official": "official source",
}
AGE_GROUP: Mapping[str, str] = {"older": "older person", "unknown": "age not known"}
PRECISION: Mapping[str, str] = {
    "day": "exact day",
    "month": "month known",
    "year": "year known",
    "unknown": "date unknown",
}

#: Every vocabulary by name: templates call ``word("status", code)``.
WORDS: Mapping[str, Mapping[str, str]] = {
    "reliability": {k: v.lower() for k, v in RELIABILITY_LABELS.items()},
    "credibility": {k: v.lower() for k, v in CREDIBILITY_LABELS.items()},
    "status": {k: v.lower() for k, v in STATUS_LABELS.items()},
    "role": ROLE,
    "response": RESPONSE,
    "source_type": SOURCE_TYPE,
    "age_group": AGE_GROUP,
    "precision": PRECISION,
    "level": {level: level_label(level) for level in LEVELS},
    "act_type": {code: label for code, label, _ in ACT_TYPES},
}


def word(vocabulary: str, code: str | None) -> str:
    """The words for ``code``; other codes with their underscores as spaces (a label never
    hides a value)."""
    if code is None:
        return ""
    return WORDS.get(vocabulary, {}).get(code) or code.replace("_", " ")
