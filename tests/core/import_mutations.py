"""Ways to damage, cut and reorder a real import file, driven by a seeded ``random.Random`` so
hypothesis can replay every example (tests/core/test_import_properties_*.py).

Text files are split into their records without decoding them (the bytes stay as they were:
Mac Roman, bare CR line endings, quoted fields spanning lines): CSV records by line endings
outside quotes, reservation texts by their ``#State`` headings.
"""

from __future__ import annotations

import random
from typing import Literal

Style = Literal["csv", "blocks"]

#: Damage: the import must refuse the file, or keep every stored row.
DAMAGE = ["cut", "cut-in-quotes", "cut-mid-line", "drop-last-field", "nul", "flip"]
#: Valid rearrangements: partial, repeated and reordered files.
REARRANGE = ["shuffle", "duplicate", "subset"]
TEXT_MUTATIONS = DAMAGE + REARRANGE
#: For binary formats (.rda, .docx): the import must refuse these with a clear error.
BINARY_MUTATIONS = ["cut", "nul", "flip", "zero-block"]


def newline_of(data: bytes) -> bytes:
    if b"\r\n" in data:
        return b"\r\n"
    if b"\n" in data:
        return b"\n"
    return b"\r"


def split_records(data: bytes, style: Style) -> tuple[bytes, list[bytes]]:
    """(the header or preamble, the records), each record with its line ending(s)."""
    if style == "blocks":
        starts = ([0] if data.startswith(b"#") else []) + [
            i + 1 for i in range(len(data)) if data[i : i + 2] == b"\n#"
        ]
        if not starts:
            return data, []
        bounds = [*starts, len(data)]
        return data[: starts[0]], [data[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
    nl = newline_of(data)
    pieces = data.split(nl)
    records: list[bytes] = []
    current = b""
    for index, piece in enumerate(pieces):
        current += piece + (nl if index < len(pieces) - 1 else b"")
        if current.count(b'"') % 2 == 0:
            records.append(current)
            current = b""
    if current:
        records.append(current)
    records = [r for r in records if r.strip()]
    return (records[0], records[1:]) if records else (b"", [])


def _terminated(record: bytes, nl: bytes) -> bytes:
    return record if record.endswith(nl) else record + nl


def mutate_text(data: bytes, how: str, rng: random.Random, style: Style) -> bytes:
    """``data`` damaged or rearranged as ``how`` says (one of TEXT_MUTATIONS)."""
    head, records = split_records(data, style)
    nl = newline_of(data)
    assert records, "nothing to mutate"
    if how == "cut":
        return data[: rng.randrange(1, len(data))]
    if how == "cut-in-quotes":
        quotes = [i for i, b in enumerate(data) if b == ord('"')]
        if len(quotes) < 2:
            return data[: rng.randrange(1, len(data))]
        pair = rng.randrange(len(quotes) // 2) * 2
        opening, closing = quotes[pair], quotes[pair + 1]
        return data[: rng.randint(opening + 1, max(opening + 1, closing - 1))]
    if how == "cut-mid-line":
        at = rng.randrange(len(records))
        record = records[at].rstrip(b"\r\n")
        cut = rng.randrange(1, max(2, len(record)))
        return head + b"".join(records[:at]) + record[:cut]
    if how == "drop-last-field":
        last = records[-1].rstrip(b"\r\n")
        sep = b"," if style == "csv" else b"\n"
        keep = last[: last.rfind(sep)] if sep in last else last[: len(last) // 2]
        ending = nl if rng.random() < 0.5 else b""
        return head + b"".join(records[:-1]) + keep + ending
    if how == "nul":
        out = bytearray(data)
        for _ in range(rng.randint(1, 3)):
            out[rng.randrange(len(out)) : 0] = b"\x00"
        return bytes(out)
    if how == "flip":
        out = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            out[rng.randrange(len(out))] ^= rng.randrange(1, 256)
        return bytes(out)
    body = [_terminated(r, nl) for r in records]
    if how == "shuffle":
        rng.shuffle(body)
    elif how == "duplicate":
        for _ in range(rng.randint(1, 5)):
            body.insert(rng.randrange(len(body) + 1), body[rng.randrange(len(body))])
    elif how == "subset":
        share = rng.uniform(0.1, 0.9)
        kept = [r for r in body if rng.random() < share]
        body = kept or [rng.choice(body)]
    else:
        raise ValueError(how)
    return head + b"".join(body)


def mutate_binary(data: bytes, how: str, rng: random.Random) -> bytes:
    """``data`` (a compressed or zipped file) damaged as ``how`` says (BINARY_MUTATIONS)."""
    if how == "cut":
        return data[: rng.randrange(1, len(data))]
    if how == "zero-block":
        start = rng.randrange(len(data))
        size = rng.randint(16, 512)
        return data[:start] + bytes(min(size, len(data) - start)) + data[start + size :]
    if how in ("nul", "flip"):
        return _flip(data, how, rng)
    raise ValueError(how)


def _flip(data: bytes, how: str, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(out))
        if how == "nul":
            out[at:at] = b"\x00"
        else:
            out[at] ^= rng.randrange(1, 256)
    return bytes(out)
