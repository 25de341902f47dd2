"""The IMR workflow domain: applications, parties, UR decisions, cases, reviewers, deadlines.

Pure pydantic records (no database, no web framework). The store persists them; the rules
that act on them live in `openimr.workflow`. Section numbers refer to
shared/domain/imr-process.md. Field names are a contract with the store: add, never rename.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from nameparser import HumanName
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from openimr.model.determination import Decision, Priority, ReviewerCredentials

# --------------------------------------------------------------------------- enums


class ReviewType(StrEnum):
    """The review track (§2.6, §11.1). FORMULARY is the post-2018 drug-formulary clock."""

    REGULAR = "regular"
    EXPEDITED = "expedited"
    FORMULARY = "formulary"

    def to_priority(self) -> Priority:
        """The letter header's `Priority:` value for this track."""
        return Priority.EXPEDITED if self is ReviewType.EXPEDITED else Priority.STANDARD

    @classmethod
    def from_priority(cls, priority: Priority | str) -> ReviewType:
        """Map a letter's Priority (Standard/Expedited) to a track (formulary is not visible)."""
        value = Priority(str(priority).strip().lower())
        return cls.EXPEDITED if value is Priority.EXPEDITED else cls.REGULAR

    @classmethod
    def from_form(cls, text: str) -> ReviewType:
        """Parse the DWC Form IMR "Type of Utilization Review" box (Regular/Standard/Expedited)."""
        key = text.strip().lower()
        aliases = {"regular": cls.REGULAR, "standard": cls.REGULAR, "expedited": cls.EXPEDITED}
        aliases["formulary"] = cls.FORMULARY
        if key not in aliases:
            raise ValueError(f"unknown review type {text!r}")
        return aliases[key]


class UrAction(StrEnum):
    """What utilization review did with a requested item (§1.2, §11.1)."""

    APPROVE = "approve"
    MODIFY = "modify"
    DENY = "deny"
    DELAY = "delay"  # pre-SB 1160 only
    CNC = "cnc"  # conditionally non-certified: information not received from the physician


class ServiceMethod(StrEnum):
    """How a document (UR decision, NOARFI, determination) was served or sent."""

    MAIL = "mail"  # first-class mail within California (CCP 1013(a): +5 days)
    MAIL_OUT_OF_STATE = "mail_out_of_state"  # CCP 1013(a) longer extension; DWC use U
    ELECTRONIC = "electronic"
    FAX = "fax"
    OVERNIGHT = "overnight"
    PERSONAL = "personal"


class PartyRole(StrEnum):
    """Who a party is in the case (§1.1, §4.3)."""

    INJURED_WORKER = "injured_worker"
    WORKER_FAMILY = "worker_family"  # immediate family (conflict list §4.3 item 6)
    WORKER_ATTORNEY = "worker_attorney"
    WORKER_REPRESENTATIVE = "worker_representative"  # non-attorney designated representative
    EMPLOYER = "employer"
    INSURER = "insurer"
    CLAIMS_ADMINISTRATOR = "claims_administrator"
    ADJUSTER = "adjuster"
    UR_ORGANIZATION = "ur_organization"
    DEFENSE_ATTORNEY = "defense_attorney"
    REQUESTING_PHYSICIAN = "requesting_physician"
    MEDICAL_GROUP = "medical_group"  # physician's group or IPA
    FACILITY = "facility"  # where the disputed service would be given
    MANUFACTURER = "manufacturer"  # of the principal drug, device or therapy


class PartyKind(StrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"


class CaseStatus(StrEnum):
    """States of the case state machine (§1.3); transitions live in workflow.lifecycle."""

    RECEIVED = "received"  # application logged, not yet screened
    DUPLICATE = "duplicate"  # removed by the duplicate screen (terminal)
    ELIGIBILITY_REVIEW = "eligibility_review"
    INFORMATION_REQUESTED = "information_requested"  # AD asked the parties (5 business days)
    INELIGIBLE = "ineligible"  # written notice with reasons; appealable to the WCAB
    DEFERRED_LIABILITY = "deferred_liability"  # non-medical liability dispute pending
    ELIGIBLE = "eligible"  # awaiting assignment / NOARFI
    ASSIGNED = "assigned"  # NOARFI sent; records clock running
    IN_REVIEW = "in_review"  # records complete, with the reviewer
    DETERMINED = "determined"  # FDL issued
    APPEALED = "appealed"  # WCAB petition filed
    CLOSED = "closed"  # appeal window passed or appeal resolved
    TERMINATED = "terminated"  # claims administrator authorized the treatment
    WITHDRAWN = "withdrawn"
    CONSOLIDATED = "consolidated"  # merged into another case (terminal for this record)


class EligibilityOutcome(StrEnum):
    """§11.1 Eligibility, plus NEEDS_INFORMATION for "cannot decide: missing X"."""

    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    DEFERRED_LIABILITY = "deferred_liability"
    DUPLICATE = "duplicate"
    WITHDRAWN = "withdrawn"
    NEEDS_INFORMATION = "needs_information"


class EligibilityCode(StrEnum):
    """Reasons an application fails a check (§2.5; codes as suggested there)."""

    DUPLICATE = "DUPLICATE"
    OUTSIDE_SCOPE_DATES = "OUTSIDE_SCOPE_DATES"
    NO_SIGNATURE = "NO_SIGNATURE"
    NOT_ELIGIBLE_FILER = "NOT_ELIGIBLE_FILER"
    NO_UR_ATTACHED = "NO_UR_ATTACHED"
    NO_DISPUTED_TREATMENT = "NO_DISPUTED_TREATMENT"
    UNTIMELY = "UNTIMELY"
    CNC_DECISION = "CNC_DECISION"
    NOT_MEDICAL_NECESSITY = "NOT_MEDICAL_NECESSITY"
    UR_UNTIMELY = "UR_UNTIMELY"
    PRIOR_IMR_SAME_TREATMENT = "PRIOR_IMR_SAME_TREATMENT"
    LIABILITY_DISPUTED = "LIABILITY_DISPUTED"
    MISSING_INFORMATION = "MISSING_INFORMATION"
    FILING_WORDING_DIFFERS = "FILING_WORDING_DIFFERS"  # warning only (§12)


class Route(StrEnum):
    """Where a failing dispute goes instead of IMR."""

    NONE = "none"
    WCAB = "wcab"  # e.g. untimely UR (Dubon II)
    DEFER = "defer"  # until the liability dispute is resolved
    ASK_PARTIES = "ask_parties"  # AD requests information


class DeadlineKind(StrEnum):
    APPLICATION_FILING = "application_filing"
    UR_DECISION = "ur_decision"
    INFORMATION_REPLY = "information_reply"
    NOARFI = "noarfi"
    RECORDS_DUE = "records_due"
    DETERMINATION_DUE = "determination_due"
    IMPLEMENT_AUTHORIZE = "implement_authorize"
    IMPLEMENT_REIMBURSE = "implement_reimburse"
    APPEAL_WINDOW = "appeal_window"


class DayKind(StrEnum):
    CALENDAR = "calendar"
    BUSINESS = "business"  # excludes Saturdays, Sundays and California state holidays
    HOURS = "hours"


class AffiliationKind(StrEnum):
    """What a reviewer is affiliated with (§4.3 conflict list)."""

    EMPLOYER = "employer"
    INSURER = "insurer"
    CLAIMS_ADMINISTRATOR = "claims_administrator"
    UR_ORGANIZATION = "ur_organization"
    PROVIDER_GROUP = "provider_group"
    PHYSICIAN = "physician"
    FACILITY = "facility"
    MANUFACTURER = "manufacturer"
    ATTORNEY = "attorney"
    PERSON = "person"  # familial or personal tie to a named individual


class DisciplineStatus(StrEnum):
    PENDING = "pending"
    TAKEN = "taken"
    DISMISSED = "dismissed"  # no finding: not disqualifying


class LicenseStatus(StrEnum):
    ACTIVE = "active"  # nonrestricted
    RESTRICTED = "restricted"  # probation, conditions, limits
    INACTIVE = "inactive"
    EXPIRED = "expired"
    REVOKED = "revoked"


# --------------------------------------------------------------------------- records


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=False)


class Address(_Record):
    line1: str
    line2: str | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None

    def lines(self) -> list[str]:
        """Printable lines, also used by redaction to find the address in text."""
        city_line = " ".join(
            p for p in [f"{self.city}," if self.city else None, self.state, self.postal_code] if p
        )
        return [p for p in [self.line1, self.line2, city_line.strip(" ,") or None] if p]


class Party(_Record):
    """Anyone named in a case: person or organization, with a role."""

    role: PartyRole
    kind: PartyKind = PartyKind.ORGANIZATION
    name: str = Field(min_length=1)  # full display name ("Dana Q. Whitfield", "ABC Insurance Co.")
    first_name: str | None = None
    middle_name: str | None = None
    last_name: str | None = None
    aliases: list[str] = Field(default_factory=list)  # other spellings, DBA names
    address: Address | None = None
    phone: str | None = None
    specialty: str | None = None  # physicians: "physician type and specialty" on the form
    npi: str | None = None

    @model_validator(mode="after")
    def _person_parts(self) -> Party:
        """Fill first/middle/last from `name` ("Dana Q. Whitfield", "Whitfield, Dana")."""
        if self.kind is PartyKind.PERSON and not self.last_name:
            parsed = HumanName(self.name)
            if parsed.last and parsed.first:
                self.first_name = self.first_name or parsed.first
                self.middle_name = self.middle_name or (parsed.middle or None)
                self.last_name = parsed.last
        return self

    def names(self) -> list[str]:
        """Every string this party may appear as (full name, aliases, parts of a person)."""
        out = [self.name, *self.aliases]
        if self.kind is PartyKind.PERSON:
            full = " ".join(p for p in [self.first_name, self.middle_name, self.last_name] if p)
            if full:
                out.append(full)
            if self.first_name and self.last_name:
                out.append(f"{self.first_name} {self.last_name}")
                out.append(f"{self.last_name}, {self.first_name}")
            if self.last_name:
                out.append(self.last_name)
        return list(dict.fromkeys(n for n in out if n.strip()))


class UrDecision(_Record):
    """The utilization review decision the application disputes (§1.3, §2.1, §6)."""

    decision_date: date  # "Date of UR decision" / "UR Denial Date"
    action: UrAction
    rfa_date: date | None = None
    rfa_received_date: date | None = None  # starts the UR clock
    information_received_date: date | None = None  # if UR asked for more information
    ur_review_type: ReviewType = ReviewType.REGULAR
    communicated_to_physician_date: date | None = None
    served_date: date | None = None  # when served on the worker; defaults to decision_date
    received_by_worker_date: date | None = None  # DWC's public "receipt" reading (§12)
    service_method: ServiceMethod = ServiceMethod.MAIL
    medical_necessity_basis: bool = True  # False: UR decided on other (non-medical) grounds
    ur_organization: str | None = None

    @property
    def service_date(self) -> date:
        return self.served_date or self.decision_date


class DisputedItem(_Record):
    """One treatment disputed on the application (form: "services/goods disputed")."""

    text_as_requested: str = Field(min_length=1)
    normalized_treatment_id: str | None = None  # guidelines knowledge-base id, if known
    category: str | None = None  # treatment category for specialty fit (see workflow data)
    ur_action: UrAction = UrAction.DENY
    diagnosis: str | None = None
    icd10: str | None = None
    formulary_drug: bool = False
    disputed_for_other_reasons: bool = False
    information_not_received: bool = False  # form box: denied as info not received (CNC)
    outcome: Decision | None = None
    authorized_on: date | None = None  # claims administrator authorized it during IMR (§3.4)


class Application(_Record):
    """A DWC Form IMR as received (8 CCR 9792.10.2), with its attachments' facts."""

    application_id: str = Field(min_length=1)
    review_type: ReviewType = ReviewType.REGULAR
    received_date: date  # filed = received by the AD or its designee
    received_method: ServiceMethod = ServiceMethod.MAIL
    sent_date: date | None = None  # postmark/transmission (2013 "communicated" wording)
    # employee block
    claim_number: str | None = None
    date_of_injury: date
    date_of_birth: date | None = None
    eams_case_number: str | None = None
    wcis_claim_number: str | None = None
    # the parties named on the form and in the file (worker, physician, employer, ...)
    parties: list[Party] = Field(default_factory=list)
    # disputed treatment
    primary_diagnosis: str | None = None
    primary_icd10: str | None = None
    disputed_items: list[DisputedItem] = Field(default_factory=list)
    # attachment
    ur_decision: UrDecision | None = None  # None: the copy of the UR decision is missing
    ur_decision_date_on_form: date | None = None
    # request block
    signed: bool = False
    signature_date: date | None = None
    signed_by_role: PartyRole | None = None
    # facts that arrive with or after the form
    liability_disputed: bool = False  # non-medical liability dispute (injury/body part)
    claims_administrator_agrees_eligible: bool = False  # 9792.10.3(d) exception
    expedited_certification: bool = False  # physician's written certification + documents

    def parties_with(self, role: PartyRole) -> list[Party]:
        return [p for p in self.parties if p.role is role]

    def party(self, role: PartyRole) -> Party | None:
        found = self.parties_with(role)
        return found[0] if found else None

    @property
    def worker(self) -> Party | None:
        return self.party(PartyRole.INJURED_WORKER)

    @property
    def requesting_physician(self) -> Party | None:
        return self.party(PartyRole.REQUESTING_PHYSICIAN)


class ReviewTypeChange(_Record):
    """A recorded conversion between tracks (§2.6: regular → expedited on certification)."""

    from_type: ReviewType
    to_type: ReviewType
    at: datetime
    reason: str


class StatusChange(_Record):
    from_status: CaseStatus | None
    to_status: CaseStatus
    at: datetime
    actor: str | None = None
    note: str | None = None


class Case(_Record):
    """An IMR case: one or more consolidated applications and their lifecycle (§11.2)."""

    case_number: str | None = Field(default=None, pattern=r"^CM\d{2}-\d{7}$")
    applications: list[Application] = Field(min_length=1)
    status: CaseStatus = CaseStatus.RECEIVED
    review_type: ReviewType = ReviewType.REGULAR
    review_type_changes: list[ReviewTypeChange] = Field(default_factory=list)
    history: list[StatusChange] = Field(default_factory=list)
    information_requested_at: date | None = None  # AD asked the parties (9792.10.3(c))
    eligibility_decided_at: date | None = None
    date_assigned: date | None = None  # NOARFI mailed/sent
    noarfi_channel: ServiceMethod | None = None
    records_complete_at: date | None = None
    decision_date: date | None = None  # FDL mailed
    determination_service_method: ServiceMethod | None = None
    consolidated_with: list[str] = Field(default_factory=list)  # application ids merged in
    consolidated_into: str | None = None
    remand_of: str | None = None
    terminated_reason: str | None = None
    terminated_at: date | None = None
    duplicate_of: str | None = None  # application id this one duplicates
    assigned_reviewer_id: str | None = None  # staff only; never rendered

    @property
    def primary(self) -> Application:
        return self.applications[0]

    @property
    def parties(self) -> list[Party]:
        """Every party of every application, deduplicated by role and name."""
        seen: dict[tuple[PartyRole, str], Party] = {}
        for app in self.applications:
            for p in app.parties:
                seen.setdefault((p.role, p.name.casefold()), p)
        return list(seen.values())

    @property
    def disputed_items(self) -> list[DisputedItem]:
        return [i for app in self.applications for i in app.disputed_items]

    @property
    def application_received(self) -> date:
        return min(app.received_date for app in self.applications)


# --------------------------------------------------------------------------- reviewers


class License(_Record):
    state: str = Field(min_length=2)  # two-letter code or state name, normalized by the roster
    status: LicenseStatus = LicenseStatus.ACTIVE
    number: str | None = None

    @field_validator("state")
    @classmethod
    def _upper(cls, v: str) -> str:
        return v.strip().upper() if len(v.strip()) == 2 else v.strip()


class BoardCertification(_Record):
    specialty: str = Field(min_length=1)  # canonical specialty name (workflow data table)
    board: str | None = None
    current: bool = True


class DisciplinaryAction(_Record):
    status: DisciplineStatus
    kind: str  # "probation", "loss of staff privileges", "participation limit", ...
    action_date: date | None = None


class Affiliation(_Record):
    """A professional, familial or financial tie (§4.3) to an organization or a person."""

    kind: AffiliationKind
    name: str = Field(min_length=1)
    relationship: str | None = None  # "employee", "owner", "consultant", "spouse", ...


class ReviewerProfile(_Record):
    """A medical reviewer on the IMRO roster. `name` is staff-only: letters use credentials."""

    reviewer_id: str = Field(min_length=1)
    name: str = Field(min_length=1, json_schema_extra={"staff_only": True})
    degree: str  # MD, DO, DC, PhD, PsyD, DPM, DDS, LAc, ...
    licenses: list[License] = Field(default_factory=list)
    board_certifications: list[BoardCertification] = Field(default_factory=list)
    specialties: list[str] = Field(default_factory=list)  # canonical specialty names
    years_in_practice: float = Field(ge=0)
    weekly_practice_hours: float = Field(ge=0, le=168)
    disciplinary_history: list[DisciplinaryAction] = Field(default_factory=list)
    affiliations: list[Affiliation] = Field(default_factory=list)
    active: bool = True
    max_open_cases: int | None = Field(default=None, ge=0)

    @property
    def licensure_states(self) -> list[str]:
        return [lic.state for lic in self.licenses if lic.status is LicenseStatus.ACTIVE]

    def all_specialties(self) -> list[str]:
        boards = [c.specialty for c in self.board_certifications if c.current]
        return list(dict.fromkeys([*boards, *self.specialties]))

    def credentials(self) -> ReviewerCredentials:
        """What a letter may say about this reviewer: states and specialties, never the name."""
        return ReviewerCredentials(
            licensure=self.licensure_states, specialties=self.all_specialties()
        )


# --------------------------------------------------------------------------- results


class EligibilityReason(_Record):
    """One failing (or warning) check, with the rule it rests on and its confidence mark."""

    code: EligibilityCode
    message: str
    rule: str  # "8 CCR 9792.10.1(b)(1)", "Dubon II", ...
    mark: str = "V"  # V/S/R/U as in imr-process.md §0.1
    route: Route = Route.NONE
    application_id: str | None = None
    item_index: int | None = None  # set when the reason concerns one disputed item only


class EligibilityResult(_Record):
    outcome: EligibilityOutcome
    reasons: list[EligibilityReason] = Field(default_factory=list)
    warnings: list[EligibilityReason] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)  # "cannot decide: missing X"
    eligible_items: list[int] = Field(default_factory=list)  # indexes into disputed_items
    checks_run: list[str] = Field(default_factory=list)  # in the order they ran (§11.4)
    decided_on: date
    review_type: ReviewType | None = None  # the track the case runs on (§2.6)
    review_type_note: str | None = None  # why it differs from the box ticked on the form

    @property
    def eligible(self) -> bool:
        return self.outcome is EligibilityOutcome.ELIGIBLE

    @property
    def codes(self) -> list[EligibilityCode]:
        return [r.code for r in self.reasons]


class Deadline(_Record):
    """A computed due date, traceable to the versioned rule that produced it."""

    kind: DeadlineKind
    application_id: str | None = None  # set for per-application deadlines (filing)
    rule_id: str
    rule_version: str
    basis: str  # name of the basis date ("ur_service_date", "date_assigned", ...)
    basis_date: date
    amount: int
    day_kind: DayKind
    extension_days: int = 0  # mail days and the like, already included in `due`
    due: date
    due_at: datetime | None = None  # for hour clocks (24 h records, 72 h UR)
    met_on: date | None = None
    late: bool | None = None  # None: not met yet and not past due as of the evaluation date
    days_late: int = 0
    citation: str = ""
    mark: str = "V"
    note: str | None = None
