"""The options of human rights diplomacy, mildest first: the ladder the escalation view reads.

Why a ladder: a desk officer facing a worsening situation asks what has been tried and what
comes next. Practice (and the proportionality the UN Charter and the 2005 World Summit
Outcome, paras. 138-139, ask for) runs from quiet diplomacy through public pressure and UN
scrutiny to coercive measures and, at the top, courts and the protection of civilians by
peacekeepers. Each rung says what it is, who can take it, from which assessed risk level it
is proportionate, and which stored facts show that it was used: register entries (by kind),
sanctions, UN decisions, recommendations. A rung with no stored evidence (a démarche, a
public statement) is never reported as "not used", only as "not recorded".

The data is the package's own (``LADDER`` below), cited per rung; the levels are those of the
risk model's ``RiskSummary.level``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "EVIDENCE",
    "ICJ_HUMAN_RIGHTS",
    "LADDER",
    "LEVELS",
    "LEVEL_LABELS",
    "Option",
    "Source",
    "counts_for",
    "level_rank",
    "option",
]

#: the risk model's levels, lowest first (``risk.public.RiskSummary.level``)
LEVELS: tuple[str, ...] = ("lower", "elevated", "high", "highest")
LEVEL_LABELS: dict[str, str] = {
    "lower": "lower risk",
    "elevated": "elevated risk (forecast probability of 4% or more)",
    "high": "high risk (among the 30 highest)",
    "highest": "highest risk (among the 10 highest)",
}

#: the kinds of stored fact that can show a rung was used, and what each means
EVIDENCE: dict[str, str] = {
    "recommendations": "recommendations the state received (UPR, treaty bodies, special "
    "procedures) in the monitoring records",
    "country-resolution": "resolutions of the Human Rights Council, the Commission on Human "
    "Rights or the General Assembly whose title names the state",
    "mandate-resolution": "such resolutions whose title names a special rapporteur, an "
    "independent expert or a mandate",
    "inquiry-resolution": "such resolutions whose title names a commission of inquiry, a "
    "fact-finding mission or an investigative mechanism",
    "hr-designations": "designations of the state's nationals and entities under human-rights "
    "sanctions regimes in the stored lists",
    "arms-regime": "sanctions programmes aimed at the state with an arms embargo or arms "
    "restrictions among their measures (programme registry)",
    "council-regime": "Security Council sanctions programmes aimed at the state (programme "
    "registry)",
}


#: the ICJ cases that count as a human rights response: those under a human rights or
#: humanitarian treaty, or about armed activities or the use of force on a territory. A
#: maritime boundary or an immunity case is an ICJ case, not an escalation.
ICJ_HUMAN_RIGHTS = re.compile(
    r"genocide|racial discrimination|torture|human rights|humanitarian|armed activities"
    r"|use of force|war crimes|prosecute or extradite",
    re.IGNORECASE,
)


def counts_for(kind: str, title: str) -> bool:
    """Whether a register entry of ``kind`` with ``title`` is a response a rung counts
    (every kind but ICJ cases; those only on the subjects of ``ICJ_HUMAN_RIGHTS``)."""
    return kind != "icj-case" or ICJ_HUMAN_RIGHTS.search(title) is not None


@dataclass(frozen=True)
class Source:
    """Where a rung's description comes from: a treaty, a resolution, a regulation."""

    label: str
    url: str | None = None


@dataclass(frozen=True)
class Option:
    """One rung of the ladder.

    ``min_level``: the lowest assessed risk level at which the option is proportionate (it
    stays proportionate above). ``register_kinds``: register entries of these kinds, with the
    state as situation country, respondent, host or target, show it was used; ``evidence``:
    other stored facts that do (keys of ``EVIDENCE``). ``council``: the Security Council
    takes or can take it, so a veto on the situation may block it.
    """

    key: str
    step: int
    title: str
    what: str
    who: str
    actors: tuple[str, ...]  # "state", "group", "un-body", "court"
    min_level: str
    coercive: bool
    register_kinds: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    council: bool = False
    not_recorded: str | None = None  # why rightsdesk cannot tell whether it was used
    sources: tuple[Source, ...] = ()


def _undocs(symbol: str) -> Source:
    return Source(symbol, f"https://undocs.org/{symbol}")


LADDER: tuple[Option, ...] = (
    Option(
        key="demarche",
        step=1,
        title="Private démarche or bilateral dialogue",
        what="A confidential representation to the government, or a structured human rights "
        "dialogue, raising specific cases or concerns without public pressure.",
        who="A state alone, or a group of states acting together (e.g. EU heads of mission).",
        actors=("state", "group"),
        min_level="lower",
        coercive=False,
        not_recorded="Démarches are confidential; rightsdesk holds no record of them.",
        sources=(
            Source(
                "Vienna Convention on Diplomatic Relations (1961), art. 3(1)(b) and (d)",
                "https://legal.un.org/ilc/texts/instruments/english/conventions/9_1_1961.pdf",
            ),
            Source("EU Guidelines on human rights dialogues with third countries (2001, 2008)"),
        ),
    ),
    Option(
        key="public-statement",
        step=2,
        title="Public statement or joint statement",
        what="A national or joint statement naming the situation, for instance under item 4 "
        "of the Human Rights Council's agenda (situations that require the Council's "
        "attention).",
        who="A state alone, or a cross-regional group of states.",
        actors=("state", "group"),
        min_level="lower",
        coercive=False,
        not_recorded="Statements are not stored in rightsdesk.",
        sources=(_undocs("A/HRC/RES/5/1"),),
    ),
    Option(
        key="upr-special-procedures",
        step=3,
        title="UPR recommendations or a special procedures' visit request",
        what="Recommendations to the state in its Universal Periodic Review, or support for a "
        "special rapporteur's request to visit the country.",
        who="Any state (in the UPR working group); the mandate holders of the Human Rights "
        "Council (visits).",
        actors=("state", "un-body"),
        min_level="lower",
        coercive=False,
        evidence=("recommendations",),
        sources=(_undocs("A/RES/60/251"), _undocs("A/HRC/RES/5/1"), _undocs("A/HRC/RES/5/2")),
    ),
    Option(
        key="country-resolution",
        step=4,
        title="Human Rights Council or General Assembly country resolution",
        what="A resolution on the human rights situation in the country, tabled by a group "
        "of states and adopted with or without a vote.",
        who="A group of states tables it; the Council (47 members) or the Assembly adopts it.",
        actors=("group", "un-body"),
        min_level="elevated",
        coercive=False,
        evidence=("country-resolution",),
        sources=(_undocs("A/RES/60/251"), _undocs("A/HRC/RES/5/1")),
    ),
    Option(
        key="country-mandate",
        step=5,
        title="Special rapporteur or independent expert on the country",
        what="A country mandate of the Human Rights Council: an independent expert who "
        "monitors, reports publicly each year and engages with the government.",
        who="Created by a Human Rights Council resolution (a group of states tables it).",
        actors=("group", "un-body"),
        min_level="elevated",
        coercive=False,
        evidence=("mandate-resolution",),
        sources=(_undocs("A/HRC/RES/5/1"), _undocs("A/HRC/RES/5/2")),
    ),
    Option(
        key="inquiry",
        step=6,
        title="Commission of inquiry or fact-finding mission",
        what="An independent investigation of alleged violations, establishing facts and "
        "responsibility, often preserving evidence for later prosecutions.",
        who="The Human Rights Council, the Security Council, the General Assembly or the "
        "Secretary-General.",
        actors=("un-body",),
        min_level="high",
        coercive=False,
        register_kinds=("commission-of-inquiry", "fact-finding-mission"),
        evidence=("inquiry-resolution",),
        sources=(
            Source(
                "OHCHR, Commissions of Inquiry and Fact-Finding Missions on International "
                "Human Rights and Humanitarian Law: Guidance and Practice (2015)"
            ),
        ),
    ),
    Option(
        key="targeted-sanctions",
        step=7,
        title="Targeted human rights sanctions",
        what="Asset freezes and travel bans on the persons and entities responsible, under a "
        "human rights sanctions regime.",
        who="A state or a group with a regime: the EU Global Human Rights Sanctions Regime, "
        "the US Global Magnitsky programme, the UK Global Human Rights regime.",
        actors=("state", "group"),
        min_level="high",
        coercive=True,
        evidence=("hr-designations",),
        sources=(
            Source(
                "Council Regulation (EU) 2020/1998 (EU Global Human Rights Sanctions Regime)",
                "https://eur-lex.europa.eu/eli/reg/2020/1998/oj",
            ),
            Source("US Global Magnitsky Human Rights Accountability Act (2016); E.O. 13818"),
            Source(
                "UK Global Human Rights Sanctions Regulations 2020 (SI 2020/680)",
                "https://www.legislation.gov.uk/uksi/2020/680",
            ),
        ),
    ),
    Option(
        key="arms-embargo",
        step=8,
        title="Arms embargo or other Security Council measures",
        what="A ban on arms supplies, or other measures not involving the use of armed force, "
        "imposed by the Security Council (binding on all states) or by a group of states.",
        who="The Security Council (Chapter VII, art. 41; subject to veto); the EU or another "
        "group for its own members.",
        actors=("un-body", "group"),
        min_level="high",
        coercive=True,
        evidence=("arms-regime", "council-regime"),
        council=True,
        sources=(
            Source(
                "Charter of the United Nations, art. 41",
                "https://www.un.org/en/about-us/un-charter/full-text",
            ),
        ),
    ),
    Option(
        key="court",
        step=9,
        title="Referral to the International Criminal Court, or ICJ proceedings",
        what="Referral of the situation to the ICC Prosecutor (by a State Party or by the "
        "Security Council), or a case against the state before the International Court of "
        "Justice, e.g. under article IX of the Genocide Convention.",
        who="A State Party to the Rome Statute or the Security Council (ICC); a state party to "
        "the Genocide Convention or another treaty with a compromissory clause (ICJ).",
        actors=("state", "un-body", "court"),
        min_level="highest",
        coercive=True,
        register_kinds=("referral", "icc-situation", "icc-case", "icj-case"),
        council=True,
        sources=(
            Source(
                "Rome Statute of the International Criminal Court, arts. 13-14",
                "https://www.icc-cpi.int/sites/default/files/RS-Eng.pdf",
            ),
            Source("Convention on the Prevention and Punishment of the Crime of Genocide, art. IX"),
        ),
    ),
    Option(
        key="peacekeeping",
        step=10,
        title="Peacekeeping with a mandate to protect civilians",
        what="A UN peace operation whose mandate includes the protection of civilians under "
        "imminent threat of physical violence.",
        who="The Security Council, with troop- and police-contributing states.",
        actors=("un-body",),
        min_level="highest",
        coercive=True,
        register_kinds=("peacekeeping",),
        council=True,
        sources=(
            _undocs("S/RES/1265(1999)"),
            _undocs("S/RES/1674(2006)"),
            _undocs("A/RES/60/1"),
        ),
    ),
)


def level_rank(level: str | None) -> int:
    """0 for "lower" up to 3 for "highest"; 0 for an unknown level or none (the view then
    shows only what is proportionate at every level, and says why)."""
    return LEVELS.index(level) if level in LEVELS else 0


def option(key: str) -> Option:
    """The rung ``key`` (KeyError when there is none)."""
    for item in LADDER:
        if item.key == key:
            return item
    raise KeyError(key)
