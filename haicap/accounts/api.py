"""``/api/v1/me``: who the caller is and what they may see."""

from django.http import HttpRequest
from ninja import Router, Schema

from haicap.accounts.selectors import memberships_of
from haicap.core.api import errors
from haicap.core.scoping import scope_of

router = Router(tags=["accounts"])


class MembershipOut(Schema):
    agency_id: int
    agency_code: str
    agency_name: str
    unit_id: int
    unit_name: str
    role: str


class MeOut(Schema):
    username: str
    full_name: str
    province_wide: bool
    read_only: bool
    system_admin: bool
    memberships: list[MembershipOut]


@router.get("/me", response={200: MeOut, **errors(401)}, summary="The signed-in caller")
def me(request: HttpRequest) -> MeOut:
    user = request.user
    scope = scope_of(user)
    return MeOut(
        username=user.get_username(),
        full_name=user.full_name,
        province_wide=scope.province_wide,
        read_only=scope.read_only,
        system_admin=scope.is_system_admin,
        memberships=[
            MembershipOut(
                agency_id=m.agency_id,
                agency_code=m.agency.code,
                agency_name=m.agency.name,
                unit_id=m.agency.unit_id,
                unit_name=m.agency.unit.full_name,
                role=m.role,
            )
            for m in memberships_of(user)
        ],
    )
