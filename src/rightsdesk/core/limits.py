"""Input bounds: how long a name, a parameter or a request body may be, and what it may hold.

Every value that reaches an expensive function (the state resolver's regular expressions, a
fuzzy match, a query) is checked here first, so the cost of a request is bounded whatever the
input. The web application applies the request-level limits (body size, length of each query
and path value) in ``rightsdesk.web.app``; the state resolver applies ``check_name`` itself, so
every path that resolves a name (pages, API, CLI, importers) is covered.

Values that become file names never reach the file system as given: ``safe_cache_name`` turns
them into a hash.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from rightsdesk.core.errors import InputError, RightsdeskError, UnknownStateError

#: Longest state name or code the resolver accepts (the longest official name is ~70).
MAX_NAME = 200
#: Longest single value in a query string or path segment, after percent-decoding.
MAX_PARAM = 2_000
#: Longest query string or path of a request, in bytes as sent (percent-encoded).
MAX_QUERY = 16_000
#: Largest request body of a JSON or form request.
MAX_BODY = 1_000_000
#: Largest request body of a file upload (``multipart/form-data``).
MAX_UPLOAD = 10_000_000
#: How much of a refused value an error message repeats.
PREVIEW = 40

_PREFIX = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


class InputBoundsError(InputError):
    """A value is too long or holds characters no name or parameter may hold."""

    code = "input-out-of-bounds"
    http_status = 422


class StateNameError(UnknownStateError):
    """A state name refused before any lookup: too long, or with control characters."""

    code = "input-out-of-bounds"
    http_status = 422
    exit_code = 65  # EX_DATAERR, as for any bad input

    def __init__(self, query: str, reason: str) -> None:
        self.query = preview(query)
        self.candidates = []
        self.reason = reason
        RightsdeskError.__init__(self, f"state name refused: {reason} ({self.query})")


class BodyTooLargeError(InputError):
    """The request body is larger than the server accepts."""

    code = "too-large"
    http_status = 413


def preview(value: str, limit: int = PREVIEW) -> str:
    """A short, printable rendering of ``value`` for messages (never the whole of a huge one)."""
    shown = value if len(value) <= limit else value[:limit] + "…"
    return f"{shown!r}" + (f" ({len(value):,} characters)" if len(value) > limit else "")


def bad_characters(value: str) -> bool:
    """Whether ``value`` holds control characters or lone surrogates (tab, newline included)."""
    return any(unicodedata.category(ch) in ("Cc", "Cs") for ch in value)


def name_problem(value: str, limit: int = MAX_NAME) -> str | None:
    """Why ``value`` cannot be a name, or None.

    The length is checked first, so a huge value costs nothing more; surrounding white space
    (a trailing newline from a file) is not a problem, control characters inside are.
    """
    if len(value) > limit:
        return f"longer than {limit} characters"
    if bad_characters(value.strip()):
        return "contains control characters"
    return None


def check_name(value: str, what: str = "name", limit: int = MAX_NAME) -> str:
    """``value`` if it is a plausible name, else InputBoundsError (HTTP 422, exit code 65)."""
    problem = name_problem(value, limit)
    if problem is not None:
        raise InputBoundsError(f"{what} refused: {problem} ({preview(value)})")
    return value


def check_state_name(value: str) -> str:
    """``value`` if the resolver may look at it, else StateNameError (HTTP 422, exit 65)."""
    problem = name_problem(value)
    if problem is not None:
        raise StateNameError(value, problem)
    return value


def safe_cache_name(*parts: object, prefix: str = "cache", suffix: str = "") -> str:
    """A file name for a cache entry keyed by ``parts`` (which may be user values).

    The name is a SHA-256 of the parts, so no user value reaches the file system: no path
    separators, no ``..``, no over-long names. ``prefix`` and ``suffix`` are the caller's
    constants (``positions``, ``.csv``) and are checked.
    """
    if not _PREFIX.match(prefix):
        raise ValueError(f"cache name prefix must be a short constant, got {prefix!r}")
    if suffix and not re.fullmatch(r"\.[a-z0-9]{1,10}", suffix):
        raise ValueError(f"cache name suffix must be like '.csv', got {suffix!r}")
    digest = hashlib.sha256()
    for part in parts:
        data = repr(part).encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return f"{prefix}-{digest.hexdigest()[:40]}{suffix}"


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression (``a|(b|c)`` -> ``a``, ``(b|c)``)."""
    out: list[str] = []
    depth, start, i, in_class = 0, 0, 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "]" or pattern[i + 1 : i + 3] == "^]":
                i += 2 if pattern[i + 1] == "]" else 3  # a ']' right after '[' is literal
                continue
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    out.append(pattern[start:])
    return out


def unanchored(pattern: str) -> str:
    """``pattern`` without the leading ``.*`` of its alternatives, which make ``search``
    quadratic in the length of the text (``.*italy`` tried from every position).

    For ``search`` on one line of text (the resolver refuses control characters, newlines
    included) ``.*X`` and ``X`` find a match in the same texts, so the hits are unchanged.
    """
    parts = []
    for alt in _alternatives(pattern):
        while alt.startswith(".*") and not alt.startswith((".*?", ".*+")):
            alt = alt[2:]
        parts.append(alt)
    return "|".join(parts)
