"""The catalogue of user-facing errors.

A user mistake (a bad file, an unknown state, a wrong option) raises one of these; the CLI and
the web layer turn it into a clear message and an exit code or HTTP status, never a traceback.
Each class has a stable ``code`` so scripts and the API can react to the kind of problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class RightsdeskError(Exception):
    """Base of every error meant for the user rather than the developer."""

    code = "error"
    exit_code = 1
    http_status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def to_dict(self) -> dict[str, object]:
        return {"error": self.code, "message": self.message}


class ConfigError(RightsdeskError):
    """A setting is missing or malformed."""

    code = "config-error"
    exit_code = 78


@dataclass
class Location:
    """Where in an input the problem is: file, 1-based line (data row), field."""

    file: str | Path | None = None
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.file is not None:
            parts.append(str(self.file))
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.field is not None:
            parts.append(f"field {self.field!r}")
        return ", ".join(parts)


class InputError(RightsdeskError):
    """Bad input data: the message names the file, line and field."""

    code = "input-error"
    exit_code = 65  # EX_DATAERR

    def __init__(
        self,
        message: str,
        file: str | Path | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.location = Location(file, line, field)
        where = str(self.location)
        super().__init__(f"{where}: {message}" if where else message)
        self.reason = message

    def to_dict(self) -> dict[str, object]:
        return {
            "error": self.code,
            "message": self.message,
            "file": None if self.location.file is None else str(self.location.file),
            "line": self.location.line,
            "field": self.location.field,
        }


class EncodingError(InputError):
    """The file is not in the expected text encoding."""

    code = "encoding-error"


class MissingColumnError(InputError):
    """A required column is absent from the header."""

    code = "missing-column"


class UnknownFormatError(InputError):
    """No importer recognises the file (``--kind auto``) or the kind is unknown."""

    code = "unknown-format"
    exit_code = 64  # EX_USAGE


class UnknownStateError(RightsdeskError):
    """A state name or code resolves to nothing; the message lists the closest candidates."""

    code = "unknown-state"
    http_status = 404
    exit_code = 66  # EX_NOINPUT: "not found", as for every unknown record

    def __init__(self, query: str, candidates: list[tuple[str, str]] | None = None) -> None:
        self.query = query
        self.candidates = candidates or []
        hint = ""
        if self.candidates:
            hint = "; closest: " + ", ".join(f"{name} ({iso3})" for iso3, name in self.candidates)
        super().__init__(f"unknown state {query!r}{hint}")


class NotFoundError(RightsdeskError):
    """A record the user asked for does not exist."""

    code = "not-found"
    http_status = 404
    exit_code = 66


class PermissionDenied(RightsdeskError):
    """The user's role does not allow this action."""

    code = "permission-denied"
    http_status = 403
    exit_code = 77


class AuthenticationError(RightsdeskError):
    """Wrong credentials, a missing or expired token, or too many attempts."""

    code = "authentication-failed"
    http_status = 401
    exit_code = 77


class ConflictError(RightsdeskError):
    """The request contradicts what is stored (a duplicate name, a stale edit)."""

    code = "conflict"
    http_status = 409


class BusyError(RightsdeskError):
    """The store is busy with another writer (an import, a lock): retry in a few seconds."""

    code = "store-busy"
    http_status = 503
    exit_code = 75  # EX_TEMPFAIL
    retry_after = 2


def error_catalogue() -> dict[str, str]:
    """Every error code with its explanation, for the docs and the API."""
    out: dict[str, str] = {}
    stack: list[type[RightsdeskError]] = [RightsdeskError]
    while stack:
        cls = stack.pop()
        out[cls.code] = (cls.__doc__ or "").strip().splitlines()[0]
        stack.extend(cls.__subclasses__())
    return dict(sorted(out.items()))
