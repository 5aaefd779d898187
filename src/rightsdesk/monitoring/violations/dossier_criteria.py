"""The listing criteria of three human rights sanctions regimes, as data with their citations.

A designation proposal is read against the instrument's own words, so each criterion carries
its citation and the text it paraphrases, and says which documented evidence can support it:

- ``roles``: the involvement roles (``Involvement.role``) by which the perpetrator's own acts
  meet the criterion (a commander who ordered torture is "responsible for" it; one who aided it
  "provided support");
- ``via``: evidence through the chain of command: ``"subordinates"`` (acts of units or people
  under the perpetrator's command: a leader of an entity whose members engaged in abuse),
  ``"superiors"`` (acts of those the perpetrator answers to: acting at their direction), or
  ``"associates"`` (either way: association with a listed person).

Each regime also lists the abuses it covers (``abuses``) and maps act types of the controlled
vocabulary (``violation_act_type``) to them, so an act outside the regime's scope (an unfair
trial under the UK regime) is shown as such instead of silently counting.

The texts are paraphrased closely from the instruments as published (Executive Order 13818 of
20 December 2017; Council Regulation (EU) 2020/1998 and Council Decision (CFSP) 2020/1999 of
7 December 2020; the Global Human Rights Sanctions Regulations 2020, SI 2020/680). A dossier
is a proposal for the officials who decide, not a legal determination: the citations let them
check every line against the source.
"""

from __future__ import annotations

from dataclasses import dataclass

from rightsdesk.core.errors import InputError

__all__ = ["REGIMES", "Abuse", "Criterion", "Regime", "get_regime", "regime_keys"]

_DIRECT = ("direct", "ordered", "commanded", "failed_to_prevent", "failed_to_punish")


@dataclass(frozen=True)
class Abuse:
    """An abuse the regime lists, with the act types of the vocabulary that fall under it."""

    key: str
    citation: str
    text: str
    act_types: tuple[str, ...]
    # other abuses count only when widespread or systematic (EU art. 2(1)(d)): said in the
    # dossier next to every act mapped here, so the reader weighs the pattern
    needs_pattern: bool = False


@dataclass(frozen=True)
class Criterion:
    """A ground on which the regime designates a person or entity."""

    key: str
    citation: str
    title: str
    text: str
    roles: tuple[str, ...] = ()
    via: str | None = None  # "subordinates", "superiors" or "associates"
    # a criterion only a natural person or only an official can meet
    persons_only: bool = False


@dataclass(frozen=True)
class Regime:
    """A human rights sanctions regime: its instrument, abuses and listing criteria."""

    key: str
    title: str
    authority: str
    instrument: str
    url: str
    # the key of the programme in the sanctions form's registry (OpenSanctions programmes)
    program_key: str
    abuses: tuple[Abuse, ...]
    criteria: tuple[Criterion, ...]
    note: str = ""

    def abuse_of(self, act_type: str) -> Abuse | None:
        """The listed abuse an act type falls under, or None (outside the regime's scope)."""
        for abuse in self.abuses:
            if act_type in abuse.act_types:
                return abuse
        return None


_US_ABUSE = (
    Abuse(
        "serious-abuse",
        "EO 13818 sec. 1(a)(ii)(A)",
        "Serious human rights abuse (the order does not define it; the Global Magnitsky Act, "
        "22 U.S.C. 10102, refers to gross violations of internationally recognized human "
        "rights: torture or cruel, inhuman or degrading treatment, prolonged detention without "
        "charges and trial, causing the disappearance of persons, other flagrant denial of "
        "the right to life, liberty or the security of person; 22 U.S.C. 2304(d)(1)).",
        (
            "killing",
            "torture",
            "ill_treatment",
            "arbitrary_detention",
            "enforced_disappearance",
            "sexual_violence",
            "abduction",
            "forced_labour",
            "attack_on_civilians",
            "child_recruitment",
        ),
    ),
    Abuse(
        "other-abuse",
        "EO 13818 sec. 1(a)(ii)(A)",
        "Other abuses, when grave enough to be a serious human rights abuse (e.g. violence "
        "against defenders and journalists, forced displacement).",
        (
            "forced_displacement",
            "destruction_of_property",
            "threats_harassment",
            "unfair_trial",
            "restriction_of_expression",
            "restriction_of_assembly",
            "denial_of_humanitarian_access",
        ),
        needs_pattern=True,
    ),
)

US_GLOMAG = Regime(
    key="us-glomag",
    title="United States Global Magnitsky sanctions",
    authority="United States Department of the Treasury (OFAC), with the Department of State",
    instrument="Executive Order 13818 of 20 December 2017, Blocking the Property of Persons "
    "Involved in Serious Human Rights Abuse or Corruption (82 FR 60839)",
    url="https://www.federalregister.gov/documents/2017/12/26/2017-27925",
    program_key="US-GLOMAG",
    abuses=_US_ABUSE,
    criteria=(
        Criterion(
            "A",
            "EO 13818 sec. 1(a)(ii)(A)",
            "Responsible for or complicit in serious human rights abuse",
            "Any foreign person determined to be responsible for or complicit in, or to have "
            "directly or indirectly engaged in, serious human rights abuse.",
            roles=(*_DIRECT, "aided"),
        ),
        Criterion(
            "C1",
            "EO 13818 sec. 1(a)(ii)(C)(1)",
            "Leader or official of an entity whose members engaged in abuse",
            "To be or have been a leader or official of an entity, including any government "
            "entity, that has engaged in, or whose members have engaged in, any of the "
            "activities described in subsection (a)(ii)(A).",
            roles=("commanded", "failed_to_prevent", "failed_to_punish"),
            via="subordinates",
            persons_only=True,
        ),
        Criterion(
            "E1",
            "EO 13818 sec. 1(a)(ii)(E)(1)",
            "Material assistance or support",
            "To have materially assisted, sponsored, or provided financial, material, or "
            "technological support for, or goods or services to or in support of, any activity "
            "described in subsection (a)(ii)(A) that is conducted by a foreign person.",
            roles=("aided",),
        ),
        Criterion(
            "F",
            "EO 13818 sec. 1(a)(ii)(F)",
            "Acting for or on behalf of a blocked person",
            "To be owned or controlled by, or to have acted or purported to act for or on "
            "behalf of, directly or indirectly, any person whose property and interests in "
            "property are blocked pursuant to the order (a superior who is designated).",
            via="superiors",
        ),
    ),
    note="Sec. 1(a)(ii)(B) (corruption) is outside what violations documentation records.",
)

EU_GHRSR = Regime(
    key="eu-ghrsr",
    title="EU Global Human Rights Sanctions Regime",
    authority="Council of the European Union",
    instrument="Council Regulation (EU) 2020/1998 of 7 December 2020 concerning restrictive "
    "measures against serious human rights violations and abuses (OJ L 410I, 7.12.2020, p. 1), "
    "with Council Decision (CFSP) 2020/1999",
    url="https://eur-lex.europa.eu/eli/reg/2020/1998/oj",
    program_key="EU-HR",
    abuses=(
        Abuse("genocide", "Reg. 2020/1998 art. 2(1)(a)", "Genocide.", ()),
        Abuse(
            "crimes-against-humanity",
            "Reg. 2020/1998 art. 2(1)(b)",
            "Crimes against humanity (acts committed as part of a widespread or systematic "
            "attack directed against any civilian population).",
            ("attack_on_civilians", "forced_displacement"),
            needs_pattern=True,
        ),
        Abuse(
            "torture",
            "Reg. 2020/1998 art. 2(1)(c)(i)",
            "Torture and other cruel, inhuman or degrading treatment or punishment.",
            ("torture", "ill_treatment"),
        ),
        Abuse("slavery", "Reg. 2020/1998 art. 2(1)(c)(ii)", "Slavery.", ("forced_labour",)),
        Abuse(
            "killings",
            "Reg. 2020/1998 art. 2(1)(c)(iii)",
            "Extrajudicial, summary or arbitrary executions and killings.",
            ("killing",),
        ),
        Abuse(
            "disappearance",
            "Reg. 2020/1998 art. 2(1)(c)(iv)",
            "Enforced disappearance of persons.",
            ("enforced_disappearance", "abduction"),
        ),
        Abuse(
            "detention",
            "Reg. 2020/1998 art. 2(1)(c)(v)",
            "Arbitrary arrests or detentions.",
            ("arbitrary_detention",),
        ),
        Abuse(
            "sgbv",
            "Reg. 2020/1998 art. 2(1)(d)(ii)",
            "Sexual and gender-based violence, in so far as widespread, systematic or "
            "otherwise of serious concern as regards the objectives of art. 21 TEU.",
            ("sexual_violence",),
            needs_pattern=True,
        ),
        Abuse(
            "assembly",
            "Reg. 2020/1998 art. 2(1)(d)(iii)",
            "Violations or abuses of freedom of peaceful assembly and of association "
            "(widespread, systematic or otherwise of serious concern).",
            ("restriction_of_assembly",),
            needs_pattern=True,
        ),
        Abuse(
            "expression",
            "Reg. 2020/1998 art. 2(1)(d)(iv)",
            "Violations or abuses of freedom of opinion and expression (widespread, "
            "systematic or otherwise of serious concern).",
            ("restriction_of_expression", "threats_harassment"),
            needs_pattern=True,
        ),
        Abuse(
            "other",
            "Reg. 2020/1998 art. 2(1)(d)",
            "Other human rights violations or abuses, in so far as widespread, systematic or "
            "otherwise of serious concern as regards the objectives of art. 21 TEU.",
            (
                "unfair_trial",
                "destruction_of_property",
                "child_recruitment",
                "denial_of_humanitarian_access",
            ),
            needs_pattern=True,
        ),
    ),
    criteria=(
        Criterion(
            "a",
            "Reg. 2020/1998 art. 3(3)(a); Decision 2020/1999 art. 2(1)(a), 3(1)(a)",
            "Responsible for the acts",
            "Natural or legal persons, entities or bodies responsible for acts referred to in "
            "Article 2(1).",
            roles=_DIRECT,
        ),
        Criterion(
            "b",
            "Reg. 2020/1998 art. 3(3)(b); Decision 2020/1999 art. 2(1)(b), 3(1)(b)",
            "Support for, or other involvement in, the acts",
            "Natural or legal persons, entities or bodies that provide financial, technical or "
            "material support for or are otherwise involved in acts referred to in Article "
            "2(1), including by planning, directing, ordering, assisting, preparing, "
            "facilitating or encouraging such acts.",
            roles=("aided", "ordered", "commanded"),
        ),
        Criterion(
            "c",
            "Reg. 2020/1998 art. 3(3)(c); Decision 2020/1999 art. 2(1)(c), 3(1)(c)",
            "Associated with such persons",
            "Natural or legal persons, entities or bodies associated with the natural or legal "
            "persons, entities or bodies referred to in points (a) and (b).",
            via="associates",
        ),
    ),
)

UK_GHR = Regime(
    key="uk-ghr",
    title="UK Global Human Rights sanctions",
    authority="Secretary of State (Foreign, Commonwealth and Development Office)",
    instrument="The Global Human Rights Sanctions Regulations 2020 (SI 2020/680), made under "
    "the Sanctions and Anti-Money Laundering Act 2018",
    url="https://www.legislation.gov.uk/uksi/2020/680",
    program_key="GB-HR",
    abuses=(
        Abuse(
            "life",
            "GHR Regulations 2020 reg. 4 (right to life)",
            "Activities that would amount to a serious violation by a State of an individual's "
            "right to life.",
            ("killing", "attack_on_civilians"),
        ),
        Abuse(
            "torture",
            "GHR Regulations 2020 reg. 4 (torture, CIDT)",
            "Activities that would amount to a serious violation of an individual's right not "
            "to be subjected to torture or cruel, inhuman or degrading treatment or punishment.",
            ("torture", "ill_treatment", "sexual_violence"),
        ),
        Abuse(
            "slavery",
            "GHR Regulations 2020 reg. 4 (slavery, forced labour)",
            "Activities that would amount to a serious violation of an individual's right to be "
            "free from slavery, not to be held in servitude or required to perform forced or "
            "compulsory labour.",
            ("forced_labour",),
        ),
    ),
    criteria=(
        Criterion(
            "6-2-a",
            "GHR Regulations 2020 reg. 6(2)(a), 6(3)(a)",
            "Involved: responsible for or engaging in the activity",
            "A person who is or has been involved in an activity described in regulation 4, "
            "including by being responsible for or engaging in such an activity.",
            roles=_DIRECT,
        ),
        Criterion(
            "6-3-b",
            "GHR Regulations 2020 reg. 6(2)(a), 6(3)(b)",
            "Involved: facilitating or providing support",
            "Involvement includes facilitating or providing support for such an activity.",
            roles=("aided",),
        ),
        Criterion(
            "6-2-c",
            "GHR Regulations 2020 reg. 6(2)(c)",
            "Acting on behalf of or at the direction of an involved person",
            "A person acting on behalf of or at the direction of a person who is or has been "
            "so involved.",
            via="superiors",
        ),
        Criterion(
            "6-2-d",
            "GHR Regulations 2020 reg. 6(2)(d)",
            "Member of, or associated with, an involved person",
            "A person who is a member of, or associated with, a person who is or has been so "
            "involved.",
            via="associates",
        ),
    ),
    note="Designation needs reasonable grounds to suspect that the person is an involved "
    "person, and that designation is appropriate (reg. 6(1)).",
)

REGIMES: dict[str, Regime] = {r.key: r for r in (US_GLOMAG, EU_GHRSR, UK_GHR)}


def regime_keys() -> tuple[str, ...]:
    """The regimes a dossier can be prepared for: us-glomag, eu-ghrsr, uk-ghr."""
    return tuple(REGIMES)


def get_regime(key: str) -> Regime:
    """The regime ``key`` or an InputError naming the ones there are."""
    found = REGIMES.get((key or "").strip().lower())
    if found is None:
        raise InputError(
            f"unknown regime {key!r} (one of {', '.join(REGIMES)})",
            field="regime",
        )
    return found
