"""What a recommendation's wording says about how demanding it is, beyond its first words.

Why a module of its own: ``opening_features`` reads the first words where they stand, so
"Further adopt a law", "That the Government adopt a law" and "Adopt a law" share few of them,
and the object of the verb ("adopt a *law*", category 5, against "adopt *measures*", category
4) is only paired with the very first word. These cues skip the polite or adverbial lead-in,
name the main verb, its object (past articles and vague adjectives), a second verb it
governs ("take measures *to ratify*") and how concrete the text is (named instruments in
capitals, acronyms, numbers, length). They were chosen fitting on UPR sessions 1-11 and
validating on 12-13, never on the benchmark's test sessions.
"""

from __future__ import annotations

import html
import re

__all__ = ["action_cues"]

_TOKEN = re.compile(r"[A-Za-z]+|\d+")
#: Lead-in words skipped before the main verb ("Further", "That the Government should").
_LEAD_IN = frozenset(
    {
        "further", "also", "fully", "effectively", "urgently", "immediately", "to", "that",
        "should", "it", "the", "government", "state", "recommended", "recommends",
        "promptly", "swiftly", "actively", "continuously", "resolutely", "seriously",
        "vigorously", "genuinely", "concretely", "systematically", "duly", "expeditiously",
        "quickly", "please", "strongly", "positively",
    }
)  # fmt: skip
#: Words between a verb and its object that say nothing about what is asked.
_FILLER = frozenset(
    {
        "a", "an", "the", "its", "all", "any", "their", "his", "her", "new", "necessary",
        "appropriate", "further", "additional", "concrete", "effective", "specific", "more",
        "adequate", "relevant", "national", "comprehensive", "legal", "legislative", "other",
    }
)  # fmt: skip
_MAX_LEAD_IN = 6
_OBJECT_SPAN = 6  # words after the verb searched for its object
_SECOND_VERB_SPAN = 12  # words after the verb searched for "to/by + verb"
_PAIR_SPAN = 20  # words after the main verb paired with it


def action_cues(text: str) -> list[str]:
    """Tokens for the action model: main verb, verb+object, second verb, concreteness."""
    raw = _TOKEN.findall(html.unescape(text))
    words = [w.lower() for w in raw]
    start = 0
    while start < min(len(words), _MAX_LEAD_IN) and words[start] in _LEAD_IN:
        start += 1
    out = ["lead_in"] if start else []
    body = words[start:]
    if not body:
        return out
    verb = body[0]
    out.append(f"v_{verb}")
    k = 1
    while k < min(len(body), _OBJECT_SPAN) and body[k] in _FILLER:
        k += 1
    if k < len(body):
        out.append(f"vo_{verb}_{body[k]}")
    out += [f"vp{q}_{verb}_{body[q]}" for q in range(1, min(4, len(body)))]
    out += ["v2_" + "_".join(body[:2]), "v3_" + "_".join(body[:3])]
    for q in range(1, min(_SECOND_VERB_SPAN, len(body) - 1)):
        if body[q] in ("to", "by") and body[q + 1] not in _FILLER:
            out += [f"s_{body[q]}_{body[q + 1]}", f"vs_{verb}_{body[q + 1]}"]
            break
    out += [f"x_{verb}_{w}" for w in sorted(set(body[1:_PAIR_SPAN]))]
    rest = raw[start + 1 :]
    capitals = sum(1 for w in rest if w[0].isupper())
    acronyms = sum(1 for w in rest if len(w) >= 2 and w.isupper())
    numbers = sum(1 for w in raw if w.isdigit())
    out += [f"caps{min(capitals, 4)}", f"acr{min(acronyms, 2)}", f"dig{min(numbers, 2)}"]
    out.append(f"len{min(len(words) // 10, 6)}")
    return out
