"""Reviewer matching: qualified, conflict-free, fitting reviewers, ranked (imr-process.md §4).

Every reviewer on the roster ends up either among the candidates or among the exclusions, and
every exclusion says which rule excluded them and why. Output carries reviewer ids only, never
names (§4.4); conflict explanations name the party's role, not the party.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from pydantic import BaseModel, ConfigDict, Field

from openimr.model.case import (
    Affiliation,
    Case,
    DisciplineStatus,
    LicenseStatus,
    Party,
    PartyKind,
    PartyRole,
    ReviewerProfile,
)
from openimr.workflow.names import NameMatch, match_names
from openimr.workflow.specialties import (
    ItemFit,
    ReviewerRules,
    canonical_degree,
    canonical_specialty,
    item_fit,
    reviewer_rules,
)


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Exclusion(_Out):
    """Why one reviewer cannot take the case (one entry per failed rule)."""

    reviewer_id: str
    rule_id: str
    rule: str  # the authority
    mark: str
    message: str


class Candidate(_Out):
    reviewer_id: str
    rank: int
    preferred_items: int  # items for which a specialty of the reviewer is preferred
    acceptable_items: int
    california: bool
    open_cases: int
    specialties: list[str]  # the reviewer's specialties that fit the case
    notes: list[str] = Field(default_factory=list)  # probable-but-tolerated issues, if any


class MatchResult(_Out):
    candidates: list[Candidate]
    exclusions: list[Exclusion]
    item_fits: list[ItemFit]
    ranking: list[str]

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    def excluded_ids(self) -> set[str]:
        return {e.reviewer_id for e in self.exclusions}

    def reasons_for(self, reviewer_id: str) -> list[Exclusion]:
        return [e for e in self.exclusions if e.reviewer_id == reviewer_id]


# ----------------------------------------------------------------------------- parties


def case_parties(case: Case) -> list[Party]:
    """Every party of the case, plus the UR organization named on the UR decisions."""
    parties = list(case.parties)
    known = {p.name.casefold() for p in parties}
    for app in case.applications:
        ur = app.ur_decision
        if ur is not None and ur.ur_organization and ur.ur_organization.casefold() not in known:
            known.add(ur.ur_organization.casefold())
            parties.append(Party(role=PartyRole.UR_ORGANIZATION, name=ur.ur_organization))
    return parties


def _role(party: Party) -> str:
    return party.role.value.replace("_", " ")


# ----------------------------------------------------------------------------- checks


def reviewer_fit_specialties(reviewer: ReviewerProfile, rules: ReviewerRules) -> list[str]:
    """Specialties that count for fit: M.D./D.O. by current board certification only."""
    degree = canonical_degree(reviewer.degree)
    if degree in rules.board_certified_degrees:
        raw = [c.specialty for c in reviewer.board_certifications if c.current]
    else:
        raw = reviewer.all_specialties()
    out = [canonical_specialty(s) or s for s in raw]
    if degree not in rules.board_certified_degrees:
        allowed = rules.degree_specialties.get(degree, [])
        out = [s for s in out if s in allowed]  # a D.C. does not review surgery
    return list(dict.fromkeys(out))


def _qualification_failures(
    reviewer: ReviewerProfile, open_cases: int, rules: ReviewerRules
) -> list[tuple[str, str]]:
    """(rule id, message) for every failed qualification rule (hard or soft)."""
    out: list[tuple[str, str]] = []
    degree = canonical_degree(reviewer.degree)
    if not reviewer.active:
        out.append(("active_on_roster", "not active on the roster"))
    if degree not in rules.physician_degrees:
        out.append(("physician", f"degree {reviewer.degree!r} is not a physician degree"))
    active = [lic for lic in reviewer.licenses if lic.status is LicenseStatus.ACTIVE]
    if not active:
        out.append(("unrestricted_license", "no active, nonrestricted license"))
    if degree in rules.board_certified_degrees and not any(
        c.current for c in reviewer.board_certifications
    ):
        out.append(("board_certification", "M.D./D.O. without a current board certification"))
    bad_licenses = [
        lic
        for lic in reviewer.licenses
        if lic.status in (LicenseStatus.RESTRICTED, LicenseStatus.REVOKED)
    ]
    if bad_licenses:
        states = ", ".join(sorted(lic.state for lic in bad_licenses))
        out.append(("no_discipline", f"restricted or revoked license ({states})"))
    actions = [
        d for d in reviewer.disciplinary_history if d.status is not DisciplineStatus.DISMISSED
    ]
    if actions:
        kinds = ", ".join(sorted({f"{d.kind} ({d.status.value})" for d in actions}))
        out.append(("no_discipline", f"disciplinary history: {kinds}"))
    years = rules.qualification("five_years_practice").minimum or 0
    if reviewer.years_in_practice <= years:
        out.append(
            (
                "five_years_practice",
                f"{reviewer.years_in_practice:g} years in practice; more than {years:g} needed",
            )
        )
    hours = rules.qualification("weekly_hours").minimum or 0
    if reviewer.weekly_practice_hours < hours:
        out.append(
            (
                "weekly_hours",
                f"{reviewer.weekly_practice_hours:g} hours a week in practice; {hours:g} needed",
            )
        )
    if reviewer.max_open_cases is not None and open_cases >= reviewer.max_open_cases:
        out.append(("capacity", f"{open_cases} open cases, maximum {reviewer.max_open_cases}"))
    return out


def _affiliation_conflict(
    affiliation: Affiliation, party: Party, rules: ReviewerRules
) -> NameMatch:
    aff_person = affiliation.kind in rules.person_affiliation_kinds
    party_person = party.kind is PartyKind.PERSON
    best = NameMatch.NONE
    for name in [party.name, *party.aliases]:
        found = match_names(
            affiliation.name, name, a_is_person=aff_person, b_is_person=party_person
        )
        best = max(best, found)
    return best


def conflicts(
    reviewer: ReviewerProfile, parties: Iterable[Party], rules: ReviewerRules | None = None
) -> list[tuple[str, NameMatch]]:
    """Messages for every tie between the reviewer and a party of the case (§4.3)."""
    rules = rules or reviewer_rules()
    out: list[tuple[str, NameMatch]] = []
    for party in parties:
        # the reviewer personally named as a party (e.g. the requesting physician)
        if party.kind is PartyKind.PERSON:
            own = match_names(reviewer.name, party.name, a_is_person=True, b_is_person=True)
            if own is NameMatch.EXACT:
                out.append((f"the reviewer is the {_role(party)} of the case", own))
        for affiliation in reviewer.affiliations:
            found = _affiliation_conflict(affiliation, party, rules)
            if found is NameMatch.NONE:
                continue
            if found is NameMatch.PROBABLE and not rules.exclude_probable_conflicts:
                continue
            tie = f" as {affiliation.relationship}" if affiliation.relationship else ""
            strength = "" if found is NameMatch.EXACT else " (probable name match: confirm)"
            out.append(
                (
                    f"affiliated{tie} with the {_role(party)} of the case; "
                    f"{rules.conflicts[affiliation.kind]}{strength}",
                    found,
                )
            )
    return out


# ----------------------------------------------------------------------------- matching


def match_reviewers(
    case: Case,
    roster: Sequence[ReviewerProfile],
    *,
    workload: Mapping[str, int] | None = None,
    avoid: Iterable[str] = (),
    eligible_items: Sequence[int] | None = None,
    rules: ReviewerRules | None = None,
) -> MatchResult:
    """Rank the roster for a case; explain every exclusion.

    `workload` maps reviewer id → open cases; `avoid` lists reviewer ids that must not take
    the case (a remand goes to a different reviewer); `eligible_items` limits the fit to the
    items that passed eligibility (default: all).
    """
    rules = rules or reviewer_rules()
    workload = workload or {}
    avoid_ids = set(avoid)
    items = case.disputed_items
    indexes = list(range(len(items))) if eligible_items is None else list(eligible_items)
    icd = case.primary.primary_icd10
    fits = [item_fit(i, items[i], icd) for i in indexes]
    parties = case_parties(case)

    exclusions: list[Exclusion] = []
    scored: list[tuple[tuple[float, ...], Candidate]] = []
    for reviewer in roster:
        rid = reviewer.reviewer_id
        open_cases = workload.get(rid, 0)
        failed: list[tuple[str, str]] = []
        if rid in avoid_ids:
            failed.append(("not_previous_reviewer", "reviewed this case before (remand)"))
        failed += _qualification_failures(reviewer, open_cases, rules)
        for message, _strength in conflicts(reviewer, parties, rules):
            failed.append(("no_conflict", message))

        own = reviewer_fit_specialties(reviewer, rules)
        preferred = acceptable = 0
        fitting: list[str] = []
        for fit in fits:
            pref = [s for s in own if s in fit.preferred]
            acc = [s for s in own if s in fit.acceptable]
            if pref:
                preferred += 1
            elif acc:
                acceptable += 1
            else:
                label = fit.category or "unclassified treatment"
                wanted = ", ".join([*fit.preferred, *fit.acceptable])
                failed.append(
                    (
                        "specialty_fit",
                        f"no specialty fits item {fit.item_index + 1} ({label}; needs {wanted})",
                    )
                )
            fitting += [s for s in (*pref, *acc) if s not in fitting]

        hard = [(rule_id, msg) for rule_id, msg in failed if rules.qualification(rule_id).hard]
        if hard:
            for rule_id, message in hard:
                q = rules.qualification(rule_id)
                exclusions.append(
                    Exclusion(
                        reviewer_id=rid, rule_id=rule_id, rule=q.rule, mark=q.mark, message=message
                    )
                )
            continue
        california = "CA" in reviewer.licensure_states
        soft = [msg for rule_id, msg in failed if not rules.qualification(rule_id).hard]
        if not california:
            soft.append("not licensed in California")
        load = open_cases / reviewer.max_open_cases if reviewer.max_open_cases else open_cases
        keys = {
            "fit": (-float(preferred), -float(acceptable)),
            "california": (0.0 if california else 1.0,),
            "workload": (float(load), float(open_cases)),
        }
        key = tuple(v for name in rules.ranking for v in keys[name])
        candidate = Candidate(
            reviewer_id=rid,
            rank=0,
            preferred_items=preferred,
            acceptable_items=acceptable,
            california=california,
            open_cases=open_cases,
            specialties=fitting,
            notes=soft,
        )
        scored.append((key, candidate))

    scored.sort(key=lambda pair: (pair[0], pair[1].reviewer_id))
    candidates = [c.model_copy(update={"rank": n}) for n, (_, c) in enumerate(scored, start=1)]
    return MatchResult(
        candidates=candidates, exclusions=exclusions, item_fits=fits, ranking=list(rules.ranking)
    )
