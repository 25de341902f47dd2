"""Loading and validating the workflow's rule tables (YAML files in workflow/data/).

The pydantic models here are the schema: a malformed table fails at load with a
`RuleTableError` naming the file and the bad entry.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from openimr.errors import RuleTableError
from openimr.model.case import DayKind, DeadlineKind, ReviewType, ServiceMethod

_T = TypeVar("_T", bound=BaseModel)

BasisName = Literal[
    "ur_service_date",
    "ur_decision_date",
    "ur_information_received",
    "rfa_date",
    "application_received",
    "application_sent",
    "information_requested",
    "eligibility_decided",
    "date_assigned",
    "records_complete",
    "decision_date",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CalendarConfig(_Strict):
    exclude_holidays: list[str] = Field(default_factory=list)
    # None keeps the library's federal Saturday → Friday observed days
    saturday_to_friday: list[str] | None = None
    mark: str = "R"


class ServiceExtension(_Strict):
    method: ServiceMethod
    days: int = Field(ge=0)
    day_kind: Literal[DayKind.CALENDAR, DayKind.BUSINESS] = DayKind.CALENDAR
    citation: str
    mark: str


class DeadlineRule(_Strict):
    id: str
    kind: DeadlineKind
    version: str
    valid_from: date
    valid_to: date | None = None  # inclusive
    era_key: BasisName
    basis: BasisName
    amount: int = Field(ge=0)
    day_kind: DayKind
    service_extension: Literal["ur_service_method", "determination_service_method"] | None = None
    roll_forward: bool = False
    review_types: list[ReviewType] | None = None  # None: every track
    noarfi_channels: list[ServiceMethod] | None = None
    measured_on: BasisName | None = None  # which date shows the deadline was met
    requires_overturned: bool = False
    cap_basis: BasisName | None = None
    cap_calendar_days: int | None = Field(default=None, ge=0)
    citation: str
    mark: str

    @model_validator(mode="after")
    def _check(self) -> DeadlineRule:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError(f"rule {self.id}: valid_to before valid_from")
        if (self.cap_basis is None) != (self.cap_calendar_days is None):
            raise ValueError(f"rule {self.id}: cap_basis and cap_calendar_days go together")
        return self

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


class DeadlineRuleTable(_Strict):
    schema_: Literal["openimr.deadline-rules/1"] = Field(alias="schema")
    version: str
    calendar: CalendarConfig = Field(default_factory=CalendarConfig)
    service_extensions: list[ServiceExtension]
    rules: list[DeadlineRule]

    @model_validator(mode="after")
    def _unique(self) -> DeadlineRuleTable:
        ids = [r.id for r in self.rules]
        dupes = {i for i in ids if ids.count(i) > 1}
        if dupes:
            raise ValueError(f"duplicate rule ids: {sorted(dupes)}")
        keys: dict[DeadlineKind, str] = {}
        for rule in self.rules:
            if keys.setdefault(rule.kind, rule.era_key) != rule.era_key:
                raise ValueError(f"rules of kind {rule.kind.value} disagree on era_key")
        return self

    def era_key_for(self, kind: DeadlineKind) -> str | None:
        """Which basis date selects the era for deadlines of this kind."""
        return next((r.era_key for r in self.rules if r.kind is kind), None)

    def extension_for(self, method: ServiceMethod | None) -> ServiceExtension | None:
        for ext in self.service_extensions:
            if ext.method is method:
                return ext
        return None


def read_yaml(source: str | Path, name: str) -> Any:
    """Parse a YAML rule file (a path, or a file name inside openimr/workflow/data)."""
    try:
        if isinstance(source, Path):
            text = source.read_text(encoding="utf-8")
        else:
            text = resources.files("openimr.workflow").joinpath("data", source).read_text("utf-8")
        return yaml.safe_load(text)
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise RuleTableError(f"{name}: cannot read rule table ({type(exc).__name__})") from exc


def validate_table(model: type[_T], data: Any, name: str) -> _T:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise RuleTableError(f"{name}: invalid entry at {where}: {first['msg']}") from exc


def load_deadline_rules(path: Path | None = None) -> DeadlineRuleTable:
    """The deadline rule table (the bundled one unless `path` is given)."""
    if path is None:
        return _bundled_deadline_rules()
    return validate_table(DeadlineRuleTable, read_yaml(path, path.name), path.name)


@lru_cache(maxsize=1)
def _bundled_deadline_rules() -> DeadlineRuleTable:
    name = "deadline_rules.yaml"
    return validate_table(DeadlineRuleTable, read_yaml(name, name), name)
