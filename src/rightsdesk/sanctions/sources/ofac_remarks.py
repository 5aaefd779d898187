"""Reading the Remarks column of OFAC's legacy SDN CSV: the free text in which OFAC writes
dates and places of birth, nationalities, identity documents, weak aliases, vessel numbers,
links and the additional sanctions information, as ``Label value; Label value.``.

Each part is matched against the labels OFAC uses and becomes an FtM property value; a part
no rule knows is kept in ``notes`` (never dropped), and a date of birth that cannot be read is
kept there too and counted, so a new OFAC habit shows in the import's messages rather than
vanishing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from rightsdesk.sanctions.sources.ftm_values import country_code, gender
from rightsdesk.sanctions.sources.parsed import ParsedEntity

__all__ = ["MONTHS", "Remarks", "ofac_dates", "parse_remarks"]

MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
MAX_YEAR_SPAN = 10  # a "1960 to 1962" range wider than this keeps only its ends
_DAY = re.compile(r"^(\d{1,2}) ([A-Za-z]{3})[a-z]* (\d{4})$")
_MONTH = re.compile(r"^([A-Za-z]{3})[a-z]* (\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_YEARS = re.compile(r"^(\d{4})\s*-\s*(\d{4})$")
_ALT = re.compile(r"^alt\.\s+", re.I)
_QUOTED = re.compile(r"^'(.*)'$|^\"(.*)\"$")
# "Passport A1234 (Iran) issued 01 Jan 2000 expires ...": the number is what comes before
# the country in brackets, an "issued"/"expires" clause or the end
_NUMBER = re.compile(r"^(?P<num>.+?)(?:\s*\((?P<country>[^)]*)\))?(?:\s+(?:issued|expires)\b.*)?$")


@dataclass
class Remarks:
    """What the remarks said besides properties: measures and unreadable birth dates."""

    measures: list[str] = field(default_factory=list)
    bad_dates: list[str] = field(default_factory=list)


def _one_date(text: str) -> str | None:
    text = text.strip().rstrip(".")
    if m := _DAY.match(text):
        month = MONTHS.get(m.group(2).lower())
        day = int(m.group(1))
        if month is None or not 1 <= day <= 31:
            return None
        return f"{m.group(3)}-{month:02d}-{day:02d}"
    if m := _MONTH.match(text):
        month = MONTHS.get(m.group(1).lower())
        return f"{m.group(2)}-{month:02d}" if month else None
    if m := _YEAR.match(text):
        return m.group(1)
    return None


def ofac_dates(text: str) -> list[str] | None:
    """ISO prefixes of an OFAC date: "10 Dec 1948", "Dec 1948", "1948", "circa 1951",
    "1960 to 1962" (every year when the range is short), "01 Jan 1960 to 31 Dec 1962";
    None when unreadable."""
    value = re.sub(r"^(circa|approximately|approx\.)\s+", "", text.strip(), flags=re.I)
    if m := _YEARS.match(value):  # "1979-1982"
        value = f"{m.group(1)} to {m.group(2)}"
    if " to " in value:
        first, _, last = value.partition(" to ")
        start, end = _one_date(first), _one_date(last)
        if start is None or end is None:
            return None
        y1, y2 = int(start[:4]), int(end[:4])
        if y2 < y1:
            return None
        whole_years = (len(start) == 4 or start.endswith("-01-01")) and (
            len(end) == 4 or end.endswith("-12-31")
        )
        if whole_years and y2 - y1 <= MAX_YEAR_SPAN:
            return [str(y) for y in range(y1, y2 + 1)]
        return [start, end]
    one = _one_date(value)
    return [one] if one else None


def _number(pe: ParsedEntity, prop: str, text: str) -> None:
    m = _NUMBER.match(text.strip())
    if m is None:
        return
    # the issuing state in brackets is not the holder's nationality: not stored as one
    pe.add(prop, m.group("num").strip(" ,"))


def _place(pe: ParsedEntity, text: str) -> None:
    pe.add("birthPlace", text)
    country = country_code(text.rsplit(",", 1)[-1])
    if country is not None:
        pe.add("birthCountry", country)


def _country(prop: str) -> Callable[[ParsedEntity, str], None]:
    def add(pe: ParsedEntity, text: str) -> None:
        code = country_code(text)
        if code is None:
            pe.add("notes", f"{prop}: {text}")
        else:
            pe.add(prop, code)

    return add


def _imo(pe: ParsedEntity, text: str) -> None:
    digits = re.sub(r"\D", "", text)
    if len(digits) == 7:
        pe.add("imoNumber", f"IMO{digits}")
    else:
        pe.add("notes", f"IMO {text}")


def _prop(prop: str) -> Callable[[ParsedEntity, str], None]:
    def add(pe: ParsedEntity, text: str) -> None:
        pe.add(prop, text.strip(" :"))

    return add


def _num(prop: str) -> Callable[[ParsedEntity, str], None]:
    def add(pe: ParsedEntity, text: str) -> None:
        _number(pe, prop, text)

    return add


def _alias(prop: str) -> Callable[[ParsedEntity, str], None]:
    def add(pe: ParsedEntity, text: str) -> None:
        m = _QUOTED.match(text.strip())
        pe.add(prop, (m.group(1) or m.group(2)) if m else text.strip())

    return add


def _gender(pe: ParsedEntity, text: str) -> None:
    value = gender(text)
    if value is None:
        pe.add("notes", f"Gender {text}")
    else:
        pe.add("gender", value)


def _linked(pe: ParsedEntity, text: str) -> None:
    pe.add("notes", f"Linked To: {text.strip(' :')}")


def _incorporated(pe: ParsedEntity, text: str) -> None:
    dates = ofac_dates(text)
    if dates:
        for value in dates:
            pe.add("incorporationDate", value)
    else:
        pe.add("notes", f"Organization Established Date {text}")


def _build_date(pe: ParsedEntity, text: str) -> None:
    dates = ofac_dates(text)
    pe.add("buildDate", dates[0] if dates else None)


Handler = Callable[[ParsedEntity, str], None]

#: (label at the start of a part, handler of the rest); longest labels first where they share
#: a start. Identity numbers of persons go to idNumber, of organisations to registrationNumber
RULES: list[tuple[str, Handler]] = [
    ("POB", _place),
    ("nationality", _country("nationality")),
    ("citizen", _country("citizenship")),
    ("Gender", _gender),
    ("a.k.a.", _alias("weakAlias")),
    ("f.k.a.", _alias("previousName")),
    ("n.k.a.", _alias("alias")),
    ("Linked To:", _linked),
    ("Diplomatic Passport", _num("passportNumber")),
    ("Passport", _num("passportNumber")),
    ("Vessel Registration Identification IMO", _imo),
    ("Identification Number IMO", _imo),
    ("International Maritime Organization No.", _imo),
    ("Company Number IMO", _prop("notes")),
    ("MMSI", _prop("mmsi")),
    ("Former Vessel Flag", _country("pastFlags")),
    ("Other Vessel Flag", _country("pastFlags")),
    ("Vessel Year of Build", _build_date),
    ("Aircraft Manufacture Date", _build_date),
    ("Aircraft Model", _prop("model")),
    ("Aircraft Manufacturer's Serial Number (MSN)", _prop("serialNumber")),
    ("Aircraft Construction Number (also called L/N or S/N or F/N)", _prop("serialNumber")),
    ("Aircraft Tail Number", _prop("registrationNumber")),
    ("Email Address", _prop("email")),
    ("Email:", _prop("email")),
    ("Email", _prop("email")),
    ("Website", _prop("website")),
    ("Phone Number", _prop("phone")),
    ("Telephone No.", _prop("phone")),
    ("Telephone:", _prop("phone")),
    ("Telephone", _prop("phone")),
    ("Organization Established Date", _incorporated),
    ("SWIFT/BIC", _prop("swiftBic")),
    ("Legal Entity Number", _num("leiCode")),
    ("D-U-N-S Number", _prop("dunsCode")),
    ("V.A.T. Number", _num("vatCode")),
    ("Tax ID No.", _num("taxNumber")),
    ("R.F.C.", _num("taxNumber")),
    ("RFC", _num("taxNumber")),
    ("US FEIN", _num("taxNumber")),
    ("Italian Fiscal Code", _num("taxNumber")),
    ("C.U.I.T.", _num("taxNumber")),
    ("RTN", _num("taxNumber")),
    ("Registration ID", _num("registrationNumber")),
    ("Registration Number", _num("registrationNumber")),
    ("Business Registration Document #", _num("registrationNumber")),
    ("Business Registration Number", _num("registrationNumber")),
    ("UK Company Number", _num("registrationNumber")),
    ("Company Number", _num("registrationNumber")),
    ("Commercial Registry Number", _num("registrationNumber")),
    ("Government Gazette Number", _num("registrationNumber")),
    ("C.R. No.", _num("registrationNumber")),
    ("Folio Mercantil No.", _num("registrationNumber")),
    ("Matricula Mercantil No", _num("registrationNumber")),
    ("Chamber of Commerce Number", _num("registrationNumber")),
    ("Trade License No.", _num("registrationNumber")),
    ("Certificate of Incorporation Number", _num("registrationNumber")),
    ("Enterprise Number", _num("registrationNumber")),
    ("Unified Social Credit Code (USCC)", _num("registrationNumber")),
    ("United Social Credit Code Certificate (USCCC)", _num("registrationNumber")),
    ("Economic Register Number (CBLS)", _num("registrationNumber")),
    ("National ID No.", _num("idNumber")),
    ("Cedula No.", _num("idNumber")),
    ("C.U.R.P.", _num("idNumber")),
    ("D.N.I.", _num("idNumber")),
    ("Identification Number", _num("idNumber")),
    ("Personal ID Card", _num("idNumber")),
    ("Birth Certificate Number", _num("idNumber")),
    ("Electoral Registry No.", _num("idNumber")),
    ("Credencial electoral", _num("idNumber")),
    ("Driver's License No.", _num("idNumber")),
    ("Turkish Identification Number", _num("idNumber")),
    ("Residency Number", _num("idNumber")),
    ("Kenyan ID No.", _num("idNumber")),
    ("Numero de Identidad", _num("idNumber")),
    ("I.F.E.", _num("idNumber")),
    ("Citizen's Card Number", _num("idNumber")),
    ("SSN", _num("idNumber")),
    ("National Foreign ID Number", _num("idNumber")),
    ("Public Registration Number", _num("registrationNumber")),
    ("Central Registration System Number", _num("registrationNumber")),
    ("Istanbul Chamber of Comm. No.", _num("registrationNumber")),
    ("Dubai Chamber of Commerce Membership No.", _num("registrationNumber")),
    ("Registered Charity No.", _num("registrationNumber")),
    ("Organization Type:", _prop("sector")),
    ("Nationality of Registration", _country("jurisdiction")),
]
#: parts that state measures of the designation rather than facts about the entity
MEASURE_PREFIXES = (
    "Additional Sanctions Information",
    "Secondary sanctions risk",
    "Transactions Prohibited For Persons",
    "Executive Order 13662 Directive Determination",
    "Executive Order 13846 information",
    "CAATSA Section",
    "Listing Date (EO 14024",
    "Effective Date (EO 14024",
    "Effective Date (CMIC)",
    "Purchase/Sales For Persons",
    "Listing Date (CMIC)",
    "IFCA Determination",
)
_HANDLERS = {label.lower(): handler for label, handler in RULES}
# one match per part: the longest label that starts it and ends at a word boundary (or is
# itself closed by ".", ":" or "#")
_LABELS = re.compile(
    "|".join(
        re.escape(label) + ("" if label[-1] in ".:#)" else r"(?![A-Za-z0-9])")
        for label in sorted(_HANDLERS, key=len, reverse=True)
    ),
    re.IGNORECASE,
)


def _dob(pe: ParsedEntity, text: str, remarks: Remarks) -> None:
    dates = ofac_dates(text)
    if dates is None:
        remarks.bad_dates.append(text)
        pe.add("notes", f"DOB {text}")
        return
    for value in dates:
        pe.add("birthDate", value)


def parse_remarks(pe: ParsedEntity, text: str) -> Remarks:
    """Add what ``text`` (one Remarks cell, continuation included) says to ``pe``."""
    remarks = Remarks()
    body = text.strip()
    if body.endswith(".") and not re.search(r"\b[A-Z]\.[A-Z]?\.$", body):
        body = body[:-1]
    for raw in body.split(";"):
        part = _ALT.sub("", raw.strip())
        if not part or part == "-0-":
            continue
        lower = part.lower()
        if lower.startswith("dob "):
            _dob(pe, part[4:], remarks)
            continue
        if part.startswith(MEASURE_PREFIXES):
            remarks.measures.append(part)
            continue
        m = _LABELS.match(part)
        if m is None:
            pe.add("notes", part)
            continue
        rest = part[m.end() :].strip().lstrip(":").strip()
        if rest:
            _HANDLERS[m.group(0).lower()](pe, rest)
    return remarks
