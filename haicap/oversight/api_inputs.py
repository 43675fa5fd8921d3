"""What the oversight API's creating operations take, and the records a body names (by code,
user name or id, among those the caller may see) turned into the services' specs."""

from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Schema

from haicap.accounts.selectors import active_officer
from haicap.core.api import Day, MultiLine, RecordId, SingleLine
from haicap.core.errors import InvalidInput
from haicap.core.measures import Comparison
from haicap.core.restricted import Viewer
from haicap.dossiers.api.inputs import agency_by_code
from haicap.oversight import selectors
from haicap.oversight.models import Finding, Inspection
from haicap.oversight.services import DirectiveSpec, FindingSpec, GroupSpec, TargetSpec
from haicap.units.models import AdministrativeUnit, Agency

Username = SingleLine
Codes = list[SingleLine]


class GroupIn(Schema):
    number: SingleLine = Field(min_length=1, max_length=20)
    name: SingleLine = Field(min_length=1, max_length=200)
    term_start: Day
    term_end: Day | None = None
    leader: Username | None = Field(
        None, max_length=150, description="the leader's username, when they have an account"
    )
    leader_title: SingleLine = Field("", max_length=200, description="the office the leader holds")
    member_agency_codes: Codes = Field(default_factory=list, max_length=50)
    member_people: list[Username] = Field(
        default_factory=list, max_length=50, description="usernames"
    )
    secretariat_agency_code: SingleLine | None = Field(None, max_length=40)
    secretariat_people: list[Username] = Field(
        default_factory=list, max_length=50, description="usernames"
    )
    commune_ids: list[RecordId] = Field(default_factory=list, max_length=200)


class InspectionIn(Schema):
    held_on: Day
    commune_ids: list[RecordId] = Field(min_length=1, max_length=200)
    participants: list[Username] = Field(
        default_factory=list, max_length=100, description="usernames"
    )
    other_participants: MultiLine = Field(
        "", max_length=4000, description="people without an account, one a line"
    )
    agenda: MultiLine = Field("", max_length=4000)


class ConclusionIn(Schema):
    number: SingleLine = Field(
        min_length=1, max_length=40, description="95 or 95/TB-UBND: the issuer's symbol is added"
    )
    date: Day
    summary: MultiLine = Field("", max_length=2000, description="the notice's title line")
    text: MultiLine = Field(
        min_length=1, max_length=20000, description="the conclusion: the notice's section III"
    )


class LinkIn(Schema):
    url: SingleLine = Field(
        min_length=1, max_length=500, description="an address within haicap, such as /desk/ho-so/"
    )
    label: SingleLine = Field("", max_length=200)


class FindingIn(Schema):
    commune_id: RecordId
    category: Finding.Category
    field_code: SingleLine | None = Field(
        None, max_length=40, description="staff_shortage: the catalogue's field short of staff"
    )
    field_text: SingleLine = Field("", max_length=120, description="or the field in words")
    text: MultiLine = Field(min_length=1, max_length=4000)
    agency_to_act_code: SingleLine = Field(min_length=1, max_length=40)
    links: list[LinkIn] = Field(default_factory=list, max_length=20)


class TargetIn(Schema):
    measure_key: SingleLine = Field(
        min_length=1, max_length=60, description="a measure, such as kpi.online_intake_rate"
    )
    commune_id: RecordId | None = Field(None, description="none: the whole province")
    field_code: SingleLine | None = Field(None, max_length=40)
    period_start: Day
    period_end: Day
    comparison: Literal[">=", "<=", "="]
    threshold: Decimal = Field(ge=0, le=Decimal("999999999999.99"), decimal_places=2)


class SubtaskIn(Schema):
    title: SingleLine = Field(min_length=1, max_length=300)
    text: MultiLine = Field("", max_length=20000)
    lead_agency_code: SingleLine = Field(min_length=1, max_length=40)
    supporting_agency_codes: Codes = Field(default_factory=list, max_length=50)
    deadline: Day
    expected_result: MultiLine = Field("", max_length=4000)
    finding_ids: list[RecordId] = Field(default_factory=list, max_length=100)
    target: TargetIn | None = None


class DirectiveIn(SubtaskIn):
    subtasks: list[SubtaskIn] = Field(default_factory=list, max_length=50)


def _agency(user: Viewer, code: str) -> Agency:
    agency = agency_by_code(user, code)  # refuses a code it does not know
    if agency is None:  # an empty code
        raise InvalidInput(_("No agency has the code %(code)s.") % {"code": code})
    return agency


def _agencies(user: Viewer, codes: Sequence[str]) -> list[Agency]:
    return [_agency(user, code) for code in dict.fromkeys(codes)]


def _person(user: Viewer, username: str):
    person = active_officer(user, username=username)
    if person is None:
        raise InvalidInput(_("No active officer is named %(name)s.") % {"name": username})
    return person


def _people(user: Viewer, usernames: Sequence[str]) -> list:
    return [_person(user, name) for name in dict.fromkeys(usernames)]


def _commune(user: Viewer, unit_id: int) -> AdministrativeUnit:
    unit = AdministrativeUnit.objects.restrict(user).filter(pk=unit_id).first()
    if unit is None:
        raise InvalidInput(_("No commune has the id %(id)s.") % {"id": unit_id})
    return unit  # the services check that it is a current commune


def _field(code: str | None):
    if not code:
        return None
    field = selectors.field_by_code(code)
    if field is None:
        raise InvalidInput(_("No field has the code %(code)s.") % {"code": code})
    return field


def group_spec(user: Viewer, body: GroupIn) -> GroupSpec:
    return GroupSpec(
        number=body.number,
        name=body.name,
        term_start=body.term_start,
        term_end=body.term_end,
        leader=_person(user, body.leader) if body.leader else None,
        leader_title=body.leader_title,
        member_agencies=_agencies(user, body.member_agency_codes),
        member_people=_people(user, body.member_people),
        secretariat_agency=(
            _agency(user, body.secretariat_agency_code) if body.secretariat_agency_code else None
        ),
        secretariat_people=_people(user, body.secretariat_people),
        communes=[_commune(user, pk) for pk in dict.fromkeys(body.commune_ids)],
    )


def inspection_arguments(user: Viewer, body: InspectionIn) -> dict:
    return {
        "held_on": body.held_on,
        "communes": [_commune(user, pk) for pk in dict.fromkeys(body.commune_ids)],
        "participants": _people(user, body.participants),
        "other_participants": body.other_participants,
        "agenda": body.agenda,
    }


def finding_spec(user: Viewer, body: FindingIn) -> FindingSpec:
    return FindingSpec(
        commune=_commune(user, body.commune_id),
        category=body.category,
        field=_field(body.field_code),
        field_text=body.field_text,
        text=body.text,
        agency_to_act=_agency(user, body.agency_to_act_code),
        links=[(link.url, link.label) for link in body.links],
    )


def _target(user: Viewer, body: TargetIn | None) -> TargetSpec | None:
    if body is None:
        return None
    return TargetSpec(
        measure_key=body.measure_key,
        unit=_commune(user, body.commune_id) if body.commune_id else None,
        field=_field(body.field_code),
        period_start=body.period_start,
        period_end=body.period_end,
        comparison=Comparison(body.comparison),
        threshold=body.threshold,
    )


def _findings(user: Viewer, inspection: Inspection, ids: Sequence[int]) -> list[Finding]:
    found = {f.pk: f for f in selectors.visible_findings(user, inspection.pk).filter(pk__in=ids)}
    for pk in ids:
        if pk not in found:
            raise InvalidInput(_("The inspection has no finding %(id)s.") % {"id": pk})
    return [found[pk] for pk in dict.fromkeys(ids)]


def directive_spec(user: Viewer, inspection: Inspection, body: SubtaskIn) -> DirectiveSpec:
    return DirectiveSpec(
        title=body.title,
        text=body.text,
        lead_agency=_agency(user, body.lead_agency_code),
        supporting_agencies=_agencies(user, body.supporting_agency_codes),
        deadline=body.deadline,
        expected_result=body.expected_result,
        findings=_findings(user, inspection, body.finding_ids),
        target=_target(user, body.target),
        subtasks=tuple(
            directive_spec(user, inspection, subtask) for subtask in getattr(body, "subtasks", ())
        ),
    )
