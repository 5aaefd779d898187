"""The 27 conventions the EU's special incentive arrangement (GSP+) is conditional on.

Source: Regulation (EU) No 978/2012 of the European Parliament and of the Council of
25 October 2012 applying a scheme of generalised tariff preferences (OJ L 303, 31.10.2012,
p. 1), Article 9(1)(b) and Annex VIII: Part A, the core human rights and labour rights
UN/ILO conventions (7 UN human rights conventions and the 8 ILO fundamental conventions);
Part B, the conventions related to the environment and to governance principles (12). The
Commission's GSP Hub lists the same 27. Why a hand-written table: every source names these
treaties differently (ILO "C138", manyenviron "Convention On Biological Diversity", the
treaties module "ICCPR"), and one key per convention is what the store, CLI, pages and API use.

``known_from`` says where rightsdesk reads a state's status from: ``treaties`` (the
negotiation form's depositary data, through its service), or ``recorded`` (the
``gsp_convention_status`` rows, filled by the importers named in ``importers`` or by an
editor). ``annex_year`` is the year the Annex gives in brackets where it differs from the
year of adoption (it gives the year the text was opened for signature for Kyoto and UNCAC).
``CONVENTIONS`` is in the Annex's order, so ``item`` is the number the Annex gives (C138 is
item 13, before C111).
"""

from __future__ import annotations

from dataclasses import dataclass

from rightsdesk.core.errors import InputError

__all__ = [
    "CONVENTIONS",
    "GROUPS",
    "REGULATION",
    "Convention",
    "convention",
    "convention_keys",
    "resolve_convention",
]

REGULATION = (
    "Regulation (EU) No 978/2012, Annex VIII (OJ L 303, 31.10.2012, p. 1), "
    "as listed by the European Commission's GSP Hub"
)

#: group key -> (annex part, label)
GROUPS: dict[str, tuple[str, str]] = {
    "un-hr": ("A", "UN human rights conventions"),
    "ilo": ("A", "ILO fundamental conventions"),
    "environment": ("B", "Environment"),
    "governance": ("B", "Good governance"),
}


@dataclass(frozen=True)
class Convention:
    """One Annex VIII convention and how its status is known."""

    key: str
    short: str  # the label a table column shows
    title: str
    group: str  # key of GROUPS
    adopted: int  # year of adoption
    known_from: str  # "treaties" or "recorded"
    treaty_short: str | None = None  # the treaties module's instrument key
    importers: tuple[str, ...] = ()  # import kinds that record this convention
    aliases: tuple[str, ...] = ()  # other names users and files give it
    annex_year: int | None = None

    @property
    def part(self) -> str:
        return GROUPS[self.group][0]

    @property
    def item(self) -> int:
        """The convention's number in Annex VIII (1 to 27; the registry keeps its order)."""
        return CONVENTIONS.index(self) + 1

    @property
    def group_label(self) -> str:
        return GROUPS[self.group][1]


_CSV = "gsp-conventions-csv"
_ENV = (_CSV, "manyenviron-rda")
_CHILD = (_CSV, "usdol-child-labor-xml")


def _un(key: str, title: str, adopted: int, *aliases: str) -> Convention:
    return Convention(key, key, title, "un-hr", adopted, "treaties", key, (_CSV,), aliases)


def _ilo(number: int, title: str, adopted: int, importers: tuple[str, ...] = (_CSV,)) -> Convention:
    key = f"C{number:03d}"
    return Convention(
        key,
        f"C{number}",
        f"ILO Convention No. {number}: {title}",
        "ilo",
        adopted,
        "recorded",
        None,
        importers,
        (f"C{number}", f"ILO C{number}", f"ILO{number}"),
    )


CONVENTIONS: tuple[Convention, ...] = (
    Convention(
        "GENOCIDE",
        "Genocide",
        "Convention on the Prevention and Punishment of the Crime of Genocide",
        "un-hr",
        1948,
        "recorded",  # not among the treaties module's 18 core instruments
        None,
        (_CSV,),
        ("CPPCG", "Genocide Convention"),
    ),
    _un(
        "ICERD",
        "International Convention on the Elimination of All Forms of Racial Discrimination",
        1965,
        "CERD",
    ),
    _un("ICCPR", "International Covenant on Civil and Political Rights", 1966),
    _un("ICESCR", "International Covenant on Economic, Social and Cultural Rights", 1966),
    _un(
        "CEDAW",
        "Convention on the Elimination of All Forms of Discrimination against Women",
        1979,
    ),
    _un(
        "CAT",
        "Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment",
        1984,
    ),
    _un("CRC", "Convention on the Rights of the Child", 1989),
    _ilo(29, "Forced Labour Convention", 1930),
    _ilo(87, "Freedom of Association and Protection of the Right to Organise Convention", 1948),
    _ilo(98, "Right to Organise and Collective Bargaining Convention", 1949),
    _ilo(100, "Equal Remuneration Convention", 1951),
    _ilo(105, "Abolition of Forced Labour Convention", 1957),
    _ilo(138, "Minimum Age Convention", 1973, _CHILD),
    _ilo(111, "Discrimination (Employment and Occupation) Convention", 1958),
    _ilo(182, "Worst Forms of Child Labour Convention", 1999, _CHILD),
    Convention(
        "CITES",
        "CITES",
        "Convention on International Trade in Endangered Species of Wild Fauna and Flora",
        "environment",
        1973,
        "recorded",
        None,
        _ENV,
    ),
    Convention(
        "MONTREAL",
        "Montreal",
        "Montreal Protocol on Substances that Deplete the Ozone Layer",
        "environment",
        1987,
        "recorded",
        None,
        _ENV,
        ("Montreal Protocol",),
    ),
    Convention(
        "BASEL",
        "Basel",
        "Basel Convention on the Control of Transboundary Movements of Hazardous Wastes "
        "and their Disposal",
        "environment",
        1989,
        "recorded",
        None,
        _ENV,
        ("Basel Convention",),
    ),
    Convention(
        "CBD",
        "CBD",
        "Convention on Biological Diversity",
        "environment",
        1992,
        "recorded",
        None,
        _ENV,
    ),
    Convention(
        "UNFCCC",
        "UNFCCC",
        "United Nations Framework Convention on Climate Change",
        "environment",
        1992,
        "recorded",
        None,
        _ENV,
    ),
    Convention(
        "CARTAGENA",
        "Cartagena",
        "Cartagena Protocol on Biosafety to the Convention on Biological Diversity",
        "environment",
        2000,
        "recorded",
        None,
        _ENV,
        ("Cartagena Protocol",),
    ),
    Convention(
        "STOCKHOLM",
        "Stockholm",
        "Stockholm Convention on Persistent Organic Pollutants",
        "environment",
        2001,
        "recorded",
        None,
        _ENV,
        ("POPs", "Stockholm Convention"),
    ),
    Convention(
        "KYOTO",
        "Kyoto",
        "Kyoto Protocol to the United Nations Framework Convention on Climate Change",
        "environment",
        1997,
        "recorded",
        None,
        _ENV,
        ("Kyoto Protocol",),
        annex_year=1998,
    ),
    Convention(
        "NARCOTICS-1961",
        "Narcotics 1961",
        "United Nations Single Convention on Narcotic Drugs",
        "governance",
        1961,
        "recorded",
        None,
        (_CSV,),
        ("Single Convention",),
    ),
    Convention(
        "PSYCHOTROPICS-1971",
        "Psychotropics 1971",
        "United Nations Convention on Psychotropic Substances",
        "governance",
        1971,
        "recorded",
        None,
        (_CSV,),
    ),
    Convention(
        "TRAFFIC-1988",
        "Traffic 1988",
        "United Nations Convention against Illicit Traffic in Narcotic Drugs and "
        "Psychotropic Substances",
        "governance",
        1988,
        "recorded",
        None,
        (_CSV,),
    ),
    Convention(
        "UNCAC",
        "UNCAC",
        "United Nations Convention against Corruption",
        "governance",
        2003,
        "recorded",
        None,
        (_CSV,),
        annex_year=2004,
    ),
)

_BY_KEY: dict[str, Convention] = {c.key: c for c in CONVENTIONS}


def _fold(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


_BY_NAME: dict[str, str] = {}
for _c in CONVENTIONS:
    for _name in (_c.key, _c.short, *_c.aliases):
        _BY_NAME.setdefault(_fold(_name), _c.key)


def convention_keys() -> list[str]:
    """The 27 keys in the order of the table (Part A, then Part B)."""
    return [c.key for c in CONVENTIONS]


def convention(key: str) -> Convention:
    """The convention with this exact key (KeyError otherwise)."""
    return _BY_KEY[key]


def resolve_convention(text: str, file: str | None = None, line: int | None = None) -> str:
    """The key of a convention typed by a user or written in a file (``c138``, ``ILO C138``,
    ``Kyoto Protocol``, ``uncac``); an InputError listing the keys when nothing matches."""
    key = _BY_NAME.get(_fold(text))
    if key is None:
        raise InputError(
            f"unknown convention {text!r}; the GSP+ conventions are: "
            + ", ".join(convention_keys()),
            file=file,
            line=line,
            field="convention",
        )
    return key
