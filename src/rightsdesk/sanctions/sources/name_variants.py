"""Aliases written inside a name, as the EU Official Journal writes them.

The Journal puts spellings and aliases in parentheses within the name itself: "Wajih (a.k.a.
Wajeeh) MAHMUD", "Alexander (Alexandr) Petrovich KALASHNIKOV", "Yuriy Viktorovich SIVOKONENKO
(a.k.a. Yuriy SIVOKONENKO, Yury SYVOKONENKO)", "Igor Nikolaevich BEZLER (a.k.a. Bes (devil))".
Kept whole, such a name matches none of its real spellings, and a screening query for "Wajeeh
Mahmud" misses the man. Split, the name is "Wajih MAHMUD" with the alias "Wajeeh MAHMUD".

Rules: a group that ends the name gives standalone aliases (several names separated by
commas or "or"; a one-word alias there is a nickname, a weak alias); a group inside the name
gives variants of the word before it ("Wajih (Wajeeh)" → the same name with "Wajeeh"); "formerly"
gives previous names; a group of explanation ("(devil)", "(deceased)") inside an alias is
dropped from it.
"""

from __future__ import annotations

import re

__all__ = ["split_name"]

_PREFIX = re.compile(
    r"^(?P<kind>a\.?\s?k\.?\s?a\.?|also known as|alias|aka"
    r"|f\.?\s?k\.?\s?a\.?|formerly(?: known as)?)[:\s]+",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"\s*(?:,|;|\bor\b)\s*", re.IGNORECASE)


def _groups(name: str) -> list[tuple[int, int]]:
    """Spans of the outermost parenthesised groups of ``name`` (balanced; unbalanced → none)."""
    spans: list[tuple[int, int]] = []
    depth, start = 0, -1
    for i, char in enumerate(name):
        if char == "(":
            if depth == 0:
                start = i
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1))
    return spans if depth == 0 else []


def _strip_explanations(text: str) -> str:
    for start, end in reversed(_groups(text)):
        text = text[:start] + text[end:]
    return " ".join(text.split())


def split_name(name: str) -> tuple[str, list[tuple[str, str]]]:
    """``name`` without its parenthesised aliases, and the aliases as (FtM property, name)."""
    spans = _groups(name)
    if not spans:
        return name, []
    main = name
    for start, end in reversed(spans):
        main = main[:start] + " " + main[end:]
    main = " ".join(main.split())
    if not main:
        return name, []
    found: list[tuple[str, str]] = []
    for start, end in spans:
        inner = name[start + 1 : end - 1].strip()
        prefix = _PREFIX.match(inner)
        kind = prefix.group("kind").lower() if prefix else ""
        body = inner[prefix.end() :] if prefix else inner
        prop = "previousName" if kind.startswith(("f", "formerly")) else "alias"
        at_end = not name[end:].strip()
        before = _strip_explanations(name[:start]).split()  # words of the name before it
        for alias in (_strip_explanations(a) for a in _SEPARATORS.split(body)):
            if not alias:
                continue
            if at_end and not prefix and len(alias.split()) == 1:
                continue  # "(devil)", "(deceased)": an explanation, not a name
            if at_end or len(alias.split()) > 1 or not before:
                single = len(alias.split()) == 1 and prop == "alias"
                found.append(("weakAlias" if single else prop, alias))
                continue
            # a variant of the word before the group: the whole name with that word replaced
            words = main.split()
            position = len(before) - 1
            if position < len(words):
                words[position] = alias
                found.append((prop, " ".join(words)))
    unique: list[tuple[str, str]] = []
    for item in found:
        if item not in unique and item[1] != main:
            unique.append(item)
    return main, unique
