"""The one list of raw codes that must not reach a reader's eyes (issue 10, "words, not codes").

The page walk (``test_walk.py``) scans the visible text of every page it reaches against these
patterns. A reader meets words: "Human Rights Council", not ``hrc``; "Asia-Pacific Group", not
``UN-APG``; a dataset's name, not ``#2``. Keep the list here, in one place, so a new code found
by a person looking through the screenshots becomes one new line.

Text inside ``<code>``, ``<kbd>`` and ``<samp>`` is not scanned: those elements mark a command or
an identifier the reader is meant to type (``rightsdesk monitoring train``). ``<pre>`` is: pages
use it for notes a person reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class RawCode:
    """A pattern of machine text, and what the reader should see instead."""

    name: str
    pattern: re.Pattern[str]
    instead: str
    #: a match right after this (at the end of the text before it) is words, not a code
    unless_after: re.Pattern[str] | None = None


def _p(regex: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(regex, flags)


RAW_CODES: tuple[RawCode, ...] = (
    # a repository's name ("lszoszk/hrc-voting") is a name, not a code: not after "/"
    RawCode("body code", _p(r"(?<!/)\b(?:hrc|unga|unsc|chr)\b"), "the body's name"),
    RawCode("group code", _p(r"\bUN-[A-Z]{2,7}\b"), "the regional group's name"),
    # "Recommendation #163" names a record; a bare "#2" (a source, a row) names nothing
    RawCode(
        "number for a name",
        _p(r"(?<![\w&/])#\d+\b"),
        "the dataset's (or the record's) name",
        unless_after=_p(r"\b(?:Recommendation|[Cc]luster|[Rr]ecord)\s*$"),
    ),
    RawCode(
        "vote type code",
        _p(r"\b(?:without-vote|not-considered|recorded-vote|not-voting)\b"),
        "words: adopted without a vote, not considered",
    ),
    RawCode("taxonomy prefix", _p(r"\b(?:upr-info|uhri|sdg):"), "the theme's label"),
    RawCode("raw JSON", _p(r"""[{\[]\s*["'][\w -]+["']\s*:"""), "a table or a sentence"),
    # "None recorded" is English; "None" alone in a cell, or before punctuation, is Python's
    RawCode(
        "Python value",
        _p(r"^[ \t]*None[ \t]*$|\bNone(?=[,;:)\]}])|\b(?:nan|NaN|NaT)\b", re.MULTILINE),
        "a dash or a blank",
    ),
    RawCode("JavaScript value", _p(r"\b(?:undefined|\[object Object\])"), "the value"),
    RawCode("traceback", _p(r"\bTraceback\b"), "a message"),
    RawCode("chart failure", _p(r"chart unavailable"), "the chart"),
)


def find_raw_codes(text: str, context: int = 30) -> list[tuple[str, str]]:
    """Each pattern found in ``text`` once: ``(name, snippet around the first match)``.

    ``text`` holds one text node a line, as the walk reads a page."""
    found: list[tuple[str, str]] = []
    for code in RAW_CODES:
        for match in code.pattern.finditer(text):
            before = text[max(0, match.start() - 40) : match.start()]
            if code.unless_after and code.unless_after.search(before):
                continue
            start, end = max(0, match.start() - context), match.end() + context
            snippet = " ".join(text[start:end].split())
            found.append((code.name, f"{match.group(0)!r} in …{snippet}…"))
            break
    return found
