"""What the staffing API takes and answers about officers and positions, and the records a body
names (a position by id, fields by code, an account by user name, among those the caller may
see) turned into the services' specs."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Schema

from haicap.accounts.models import User
from haicap.accounts.selectors import active_officer
from haicap.core.api import Day, RecordId, SingleLine
from haicap.core.errors import InvalidInput
from haicap.core.masking import mask_citizen_id, mask_phone
from haicap.core.pagination import DEFAULT_LIMIT
from haicap.core.restricted import Viewer
from haicap.staffing import selectors, services
from haicap.staffing.models import Officer, Position, StaffField

FieldCode = SingleLine


class OfficerFilters(Schema):
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT
    commune_id: RecordId | None = Field(None, description="the unit id of the officers' commune")
    agency_code: SingleLine | None = Field(None, max_length=40)
    field_code: FieldCode | None = Field(None, max_length=20, description="their post's field")
    qualification_code: FieldCode | None = Field(
        None, max_length=20, description="a field they are qualified in"
    )
    on_desk: bool | None = Field(None, description="on a one-stop desk today, or not")
    q: SingleLine = Field(
        "", max_length=100, description="words of the name or the staff number, accents ignored"
    )


class OfficerOut(Schema):
    id: int
    staff_number: str
    full_name: str
    agency_code: str
    commune_id: int = Field(description="the unit id of the agency's commune (or province)")
    position_id: int
    field_code: str = Field(description="the post's field")
    post_grade: str
    qualifications: list[str] = Field(description="field codes")
    grade: str
    experience_years: int
    in_post_since: dt.date
    desk_posting_from: dt.date | None
    desk_posting_until: dt.date | None
    account: str | None = Field(description="the linked account's user name")
    citizen_id: str
    phone: str
    personal_data_masked: bool = Field(
        description="citizen ID and phone are masked: the caller may not see them whole"
    )

    @staticmethod
    def of(officer: Officer, personal: bool) -> "OfficerOut":
        return OfficerOut(
            id=officer.pk,
            staff_number=officer.staff_number,
            full_name=officer.full_name,
            agency_code=officer.agency.code,
            commune_id=officer.agency.unit_id,
            position_id=officer.position_id,
            field_code=officer.position.field.code,
            post_grade=officer.position.grade,
            qualifications=sorted(f.code for f in officer.qualifications.all()),
            grade=officer.grade,
            experience_years=officer.experience_years,
            in_post_since=officer.in_post_since,
            desk_posting_from=officer.desk_posting_from,
            desk_posting_until=officer.desk_posting_until,
            account=officer.user.get_username() if officer.user else None,
            citizen_id=_shown(officer.citizen_id, personal, mask_citizen_id),
            phone=_shown(officer.phone, personal, mask_phone),
            personal_data_masked=not personal,
        )


def _shown(value: str, personal: bool, mask) -> str:
    return value if personal or not value else mask(value)


class OfficerPage(Schema):
    items: list[OfficerOut]
    next_cursor: str | None


class OfficerIn(Schema):
    staff_number: SingleLine = Field(min_length=1, max_length=30)
    full_name: SingleLine = Field(min_length=1, max_length=150)
    position_id: RecordId = Field(description="a position of the agency the officer works in")
    qualifications: list[FieldCode] = Field(
        default_factory=list, max_length=20, description="field codes"
    )
    grade: SingleLine = Field(min_length=1, max_length=60)
    experience_years: int = Field(0, ge=0, le=services.MAX_EXPERIENCE_YEARS)
    in_post_since: Day
    desk_posting_from: Day | None = None
    desk_posting_until: Day | None = None
    account: SingleLine | None = Field(None, max_length=150, description="a user name to link")
    citizen_id: SingleLine = Field("", max_length=12)
    phone: SingleLine = Field("", max_length=20)


class OfficerPatch(Schema):
    """Only the fields sent change; ``account`` sent as null unlinks the account."""

    staff_number: SingleLine | None = Field(None, min_length=1, max_length=30)
    full_name: SingleLine | None = Field(None, min_length=1, max_length=150)
    position_id: RecordId | None = None
    qualifications: list[FieldCode] | None = Field(None, max_length=20)
    grade: SingleLine | None = Field(None, min_length=1, max_length=60)
    experience_years: int | None = Field(None, ge=0, le=services.MAX_EXPERIENCE_YEARS)
    in_post_since: Day | None = None
    desk_posting_from: Day | None = None
    desk_posting_until: Day | None = None
    account: SingleLine | None = Field(None, max_length=150)
    citizen_id: SingleLine | None = Field(None, max_length=12)
    phone: SingleLine | None = Field(None, max_length=20)


class PositionFilters(Schema):
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT
    agency_code: SingleLine | None = Field(None, max_length=40)
    commune_id: RecordId | None = None
    field_code: FieldCode | None = Field(None, max_length=20)


class PositionOut(Schema):
    id: int
    agency_code: str
    commune_id: int
    field_code: str
    grade: str
    approved: int = Field(description="the staffing quota")
    filled: int = Field(description="officers in the position")
    vacant: int = Field(description="approved less filled, 0 when filled or over")

    @staticmethod
    def of(position: Position) -> "PositionOut":
        return PositionOut(
            id=position.pk,
            agency_code=position.agency.code,
            commune_id=position.agency.unit_id,
            field_code=position.field.code,
            grade=position.grade,
            approved=position.approved,
            filled=position.filled,
            vacant=max(0, position.approved - position.filled),
        )


class PositionPage(Schema):
    items: list[PositionOut]
    next_cursor: str | None


# --- a body's names, as records ---------------------------------------------------------------


def position_by_id(user: Viewer, position_id: int) -> Position:
    position = selectors.visible_positions(user).filter(pk=position_id).first()
    if position is None:
        raise InvalidInput(_("No position has the id %(id)s.") % {"id": position_id})
    return position


def fields_by_code(codes: list[str]) -> list[StaffField]:
    found = {f.code: f for f in selectors.visible_fields().filter(code__in=codes)}
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise InvalidInput(
            _("No staff field has the code %(code)s.") % {"code": ", ".join(unknown)}
        )
    return [found[code] for code in dict.fromkeys(codes)]


def account_by_name(user: Viewer, username: str | None) -> User | None:
    if not username:
        return None
    account = active_officer(user, username=username)
    if account is None:
        raise InvalidInput(
            _("No active account has the user name %(username)s.") % {"username": username}
        )
    return account


def officer_spec(user: Viewer, body: OfficerIn) -> services.OfficerSpec:
    return services.OfficerSpec(
        staff_number=body.staff_number,
        full_name=body.full_name,
        position=position_by_id(user, body.position_id),
        grade=body.grade,
        in_post_since=body.in_post_since,
        qualifications=fields_by_code(body.qualifications),
        experience_years=body.experience_years,
        desk_posting_from=body.desk_posting_from,
        desk_posting_until=body.desk_posting_until,
        account=account_by_name(user, body.account),
        citizen_id=body.citizen_id,
        phone=body.phone,
    )


def patched_spec(user: Viewer, officer: Officer, body: OfficerPatch) -> services.OfficerSpec:
    """The officer as they are, with the fields the body sends."""
    sent = body.model_fields_set

    def given(name: str, current: object) -> object:
        value = getattr(body, name)
        return current if name not in sent or value is None else value

    position = officer.position
    if "position_id" in sent and body.position_id is not None:
        position = position_by_id(user, body.position_id)
    qualifications = list(officer.qualifications.all())
    if "qualifications" in sent and body.qualifications is not None:
        qualifications = fields_by_code(body.qualifications)
    account = officer.user
    if "account" in sent:
        account = account_by_name(user, body.account)
    desk_from, desk_until = officer.desk_posting_from, officer.desk_posting_until
    if "desk_posting_from" in sent:
        desk_from = body.desk_posting_from
    if "desk_posting_until" in sent:
        desk_until = body.desk_posting_until
    return services.OfficerSpec(
        staff_number=given("staff_number", officer.staff_number),
        full_name=given("full_name", officer.full_name),
        position=position,
        grade=given("grade", officer.grade),
        in_post_since=given("in_post_since", officer.in_post_since),
        qualifications=qualifications,
        experience_years=given("experience_years", officer.experience_years),
        desk_posting_from=desk_from,
        desk_posting_until=desk_until,
        account=account,
        citizen_id=given("citizen_id", officer.citizen_id),
        phone=given("phone", officer.phone),
    )
