"""Cleaning applied to every recommendation at import, whatever its source.

Three things make the raw sources uneven, and a desk officer should not have to know them:

- **Responses.** UPR Info says "Accepted" where OHCHR's lists say "Supported" for the same
  position (the HRC changed its wording in the second cycle); older documents also say
  "Rejected" for what is now "Noted". ``normalise_response`` maps every word to one vocabulary
  (supported / noted / pending / other) and the caller keeps the source's own word beside it.
- **Theme labels.** A label may carry stray spacing ("Budget &resources" in one OHCHR list,
  "Budget & resources" in the next); ``clean_label`` evens the spacing so both are one theme.
- **Lost line breaks.** Texts copied from PDFs or Word sometimes lose the break between two
  lines, which glues the words: "the amendment toarticle8", "ratify theConvention".
  ``repair_text`` inserts the missing space, conservatively: only where a lowercase word of two
  letters or more runs straight into a capitalised word ("courtIn", never "McDonald",
  "iPhone", "LaGuardia", "GayFests"); where a reference number runs into a capitalised word
  ("Article 12Norway", never "1Malaysia", "365A"); and where a reference word runs into its
  number ("article8", "toarticle8"). Acronyms ("CEDAW", "UNESCO's", "HIV/AIDS") and hyphenated
  words ("Covid-19", "Mother-toChild") are never split. The repair only ever inserts spaces, so
  the raw text is the repaired text with those spaces removed (``is_repair_of`` checks it).
"""

from __future__ import annotations

import re

__all__ = [
    "RESPONSE_LABELS",
    "RESPONSE_WORDS",
    "clean_label",
    "is_repair_of",
    "normalise_response",
    "repair_text",
]

# Every word a source uses for a response, casefolded, with what it means today.
RESPONSE_WORDS: dict[str, str] = {
    "supported": "supported",
    "accepted": "supported",
    "accepted/supported": "supported",
    "noted": "noted",
    "rejected": "noted",
    "not accepted": "noted",
    "not supported": "noted",
    "pending": "pending",
    "under consideration": "pending",
    "deferred": "pending",
    "general response": "other",
    "partially accepted": "other",
    "partially supported": "other",
    "unclear response": "other",
    "no response": "other",
}
# what the response facet says, for readers who know the older words
RESPONSE_LABELS: dict[str, str] = {
    "supported": "supported (accepted)",
    "noted": "noted (not accepted)",
    "pending": "pending (no position yet)",
    "other": "other (general or partial response)",
}


def normalise_response(word: str | None) -> str | None:
    """The response in the common vocabulary (supported, noted, pending, other), None when
    the source gives none; a word the vocabulary does not know is None too (callers refuse it
    with the file, line and field)."""
    key = " ".join((word or "").casefold().split())
    if not key:
        return None
    return RESPONSE_WORDS.get(key)


def clean_label(label: str) -> str:
    """A theme label with even spacing ("Budget &resources" -> "Budget & resources")."""
    label = re.sub(r"\s*&\s*", " & ", label)
    label = re.sub(r"\s*/\s*(?=\S)", lambda m: "/ " if " " in m.group() else "/", label)
    return " ".join(label.split())


# a lowercase word (2+ letters, not after a hyphen, apostrophe or letter) glued to a
# capitalised word ("courtIn"); particles of names are left alone ("deGaulle", "alKhawaja")
_LOWER_CAP = re.compile(r"(?<![\w'’\-./])([a-z]{2,})(?=[A-Z][a-z]+\b)")
_PARTICLES = frozenset(
    {"al", "el", "de", "di", "da", "du", "la", "le", "van", "von", "der", "den", "dos", "das"}
    | {"mc", "mac", "ibn", "bin", "ben", "abu", "ul", "ur"}
)
# references whose number may run into the next word or into their own word
_REFERENCES = (
    "article|articles|art|paragraph|paragraphs|para|paras|section|resolution|resolutions|"
    "rule|rules|principle|goal|target|chapter|protocol|recommendation|recommendations|no"
)
# "Article 12Norway", "articles 14 and 25Norway", "in 2010The": a number that follows a
# reference word or another number of a list, or a year, glued to a capitalised word; "the
# 1Malaysia concept" has neither, so it stays
_NUMBER_CAP = re.compile(
    rf"(?:(?<![\w\-/])(?i:{_REFERENCES})\.? ?|(?<=\d, )|(?<=\d and )|(?<=\d or ))"
    r"(\d+(?:\.\d+)*)(?=[A-Z][a-z]+\b)"
    r"|(?<![\w\-./])((?:19|20)\d\d)(?=[A-Z][a-z]+\b)"
)
# "article8", "toarticle8": a reference word glued to its number, maybe after a short word
_FUNCTION_WORDS = "to|of|the|in|on|and|under|with|by|for|from|at|as|its|an|a"
_WORD_NUMBER = re.compile(
    rf"(?<![\w\-./])(?:((?i:{_FUNCTION_WORDS}))(?=(?i:{_REFERENCES})\d))?"
    rf"((?i:{_REFERENCES}))(?=\d+\b)"
)


def repair_text(text: str) -> str:
    """The text with the spaces a lost line break removed put back (see the module doc)."""
    cuts: set[int] = set()
    for match in _LOWER_CAP.finditer(text):
        if match.group(1) not in _PARTICLES:
            cuts.add(match.end(1))
    for match in _NUMBER_CAP.finditer(text):
        cuts.add(match.end(1) if match.group(1) else match.end(2))
    for match in _WORD_NUMBER.finditer(text):
        if match.group(1):
            cuts.add(match.end(1))
        cuts.add(match.end(2))
    if not cuts:
        return text
    pieces = []
    last = 0
    for cut in sorted(cuts):
        pieces.append(text[last:cut])
        last = cut
    pieces.append(text[last:])
    return " ".join(pieces)


def is_repair_of(repaired: str, raw: str) -> bool:
    """Whether ``repaired`` is ``raw`` with single spaces inserted between non-space
    characters, and nothing else: the guarantee every repair keeps."""
    i = 0
    for pos, ch in enumerate(repaired):
        if i < len(raw) and raw[i] == ch:
            i += 1
            continue
        inserted_between_words = (
            ch == " "
            and 0 < i < len(raw)
            and not raw[i - 1].isspace()
            and not raw[i].isspace()
            and not repaired[pos - 1].isspace()
        )
        if not inserted_between_words:
            return False
    return i == len(raw)
