"""What the plan API reads and answers: a plan's rules, its secondments with their figures and
reasons, the gaps it leaves, and its versions."""

import datetime as dt

from ninja import Field, Schema

from haicap.core.api import Day, LocalDateTime, RecordId, SingleLine
from haicap.core.pagination import DEFAULT_LIMIT
from haicap.staffing import planning
from haicap.staffing.models import SecondmentPlan
from haicap.staffing.services.plans import LONGEST_TERM_MONTHS


class PlanIn(Schema):
    title: SingleLine = Field(min_length=1, max_length=200)
    starts_on: Day = Field(description="the day the secondments start")
    months: int = Field(ge=1, le=LONGEST_TERM_MONTHS, description="how long each runs")
    max_travel_minutes: int = Field(
        ge=1, le=24 * 60, description="the longest travel between units, from the travel table"
    )
    max_per_agency: int = Field(ge=1, le=50, description="most officers taken from one agency")


class AdditionIn(Schema):
    officer_id: RecordId
    unit_id: RecordId = Field(description="the commune or ward seconded to")
    field: SingleLine = Field(max_length=20, description="the staff field's code")
    start_date: Day | None = Field(None, description="the plan's start when left out")
    end_date: Day | None = Field(None, description="the plan's term from the start when left out")
    decision_number: SingleLine = Field("", max_length=60)


class SecondmentPatch(Schema):
    """What to change in a draft's secondment; a field left out stays as it is."""

    start_date: Day | None = None
    end_date: Day | None = None
    decision_number: SingleLine | None = Field(None, max_length=60)


class SecondmentOut(Schema):
    id: int
    officer_id: int
    officer_name: str
    staff_number: str
    from_agency_code: str
    from_name: str = Field(description="the donor: its commune, or the provincial agency")
    to_unit_id: int
    to_unit_name: str
    to_agency_code: str
    field: str = Field(description="the staff field's code")
    travel_minutes: int | None
    host_gap_before: int
    host_gap_after: int = Field(description="with every secondment of the plan")
    donor_field: str | None
    donor_norm: int
    donor_filled_before: int
    donor_filled_after: int = Field(description="with every secondment of the plan")
    start_date: dt.date
    end_date: dt.date
    decision_number: str
    added_by_hand: bool
    needed: bool = Field(
        description="false for a copy in a new version that the host no longer needs or the "
        "donor can no longer spare, on the standings when the version was made: to remove"
    )
    reason: str

    @staticmethod
    def of(row: planning.PlanRow) -> "SecondmentOut":
        s = row.secondment
        return SecondmentOut(
            id=s.pk,
            officer_id=s.officer_id,
            officer_name=s.officer.full_name,
            staff_number=s.officer.staff_number,
            from_agency_code=s.from_agency.code,
            from_name=planning.donor_name(s.from_agency),
            to_unit_id=s.to_agency.unit_id,
            to_unit_name=s.to_agency.unit.full_name,
            to_agency_code=s.to_agency.code,
            field=s.field.code,
            travel_minutes=s.travel_minutes,
            host_gap_before=row.host_gap_before,
            host_gap_after=row.host_gap_after,
            donor_field=s.donor_field.code if s.donor_field else None,
            donor_norm=row.donor_norm,
            donor_filled_before=row.donor_filled_before,
            donor_filled_after=row.donor_filled_after,
            start_date=s.start_date,
            end_date=s.end_date,
            decision_number=s.decision_number,
            added_by_hand=s.added_by_hand,
            needed=row.needed,
            reason=row.reason,
        )


class UncoveredOut(Schema):
    unit_id: int
    unit_name: str
    field: str
    officers_lacking: int


class VersionOut(Schema):
    id: int
    version: int
    status: str


class PlanSummary(Schema):
    id: int
    title: str
    version: int
    revises_id: int | None
    status: str = Field(description="draft, approved, superseded or discarded")
    starts_on: dt.date
    months: int
    max_travel_minutes: int
    max_per_agency: int
    solver_status: str = Field(description="optimal, time_limit or no_plan")
    mip_gap: float | None = Field(description="the optimality gap the solver reported")
    solve_seconds: float | None
    created_at: LocalDateTime
    submitted_at: LocalDateTime | None = Field(
        description="when a draft was submitted to the leaders for approval"
    )
    approved_at: LocalDateTime | None

    @staticmethod
    def fields_of(plan: SecondmentPlan) -> dict:
        return {
            "id": plan.pk,
            "title": plan.title,
            "version": plan.version,
            "revises_id": plan.revises_id,
            "status": plan.status,
            "starts_on": plan.starts_on,
            "months": plan.months,
            "max_travel_minutes": plan.max_travel_minutes,
            "max_per_agency": plan.max_per_agency,
            "solver_status": plan.solver_status,
            "mip_gap": plan.mip_gap,
            "solve_seconds": plan.solve_seconds,
            "created_at": plan.created_at,
            "submitted_at": plan.submitted_at,
            "approved_at": plan.approved_at,
        }


class PlanDetail(PlanSummary):
    secondments: list[SecondmentOut]
    uncovered: list[UncoveredOut]
    versions: list[VersionOut]


class PlanPage(Schema):
    items: list[PlanSummary]
    next_cursor: str | None


class PlanQuery(Schema):
    status: SecondmentPlan.Status | None = None
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT
