"""Writes of who works where: who may make them, what they refuse, and the audit log."""

import datetime as dt

import pytest

from haicap.core.errors import Conflict, IdempotencyKeyReused, InvalidInput, PermissionDenied
from haicap.core.models import AuditRecord
from haicap.staffing import services
from haicap.staffing.models import NormRule, Officer, Position
from haicap.staffing.norms import Basis
from haicap.units.models import TravelTime
from tests.staffing.conftest import (
    BACH_HA,
    BACH_HA_ECONOMIC,
    CITIZEN_ID,
    DO_LUONG,
    DO_LUONG_ECONOMIC,
    DO_LUONG_PPC,
    HOME_AFFAIRS,
    PHONE,
    agency,
    commune,
    officer_spec,
)

pytestmark = pytest.mark.django_db


def test_a_new_officer_is_audited_with_their_numbers_masked(staffed):
    record = AuditRecord.objects.get(action="officer.created", object_id=str(staffed.an.pk))
    assert record.after["staff_number"] == "NA-0001"
    assert record.after["citizen_id"] == "040******345"
    assert record.after["phone"] == "091****678"
    assert record.after["qualifications"] == ["DATDAI", "XAYDUNG"]
    assert CITIZEN_ID not in str(record.after) and PHONE not in str(record.after)


def test_a_change_records_only_what_changed(staffed, people):
    spec = officer_spec(staffed.do_luong_land, experience_years=7, qualifications=[])
    services.save_officer(people.home_affairs, spec, staffed.an)
    record = AuditRecord.objects.filter(action="officer.updated").latest("id")
    assert record.before == {"experience_years": 5, "qualifications": ["DATDAI", "XAYDUNG"]}
    assert record.after == {"experience_years": 7, "qualifications": []}


def test_a_commune_administrator_edits_their_communes_officers_only(staffed, people):
    spec = officer_spec(staffed.do_luong_land, full_name="Nguyễn Văn Ân")
    changed = services.save_officer(people.do_luong_admin, spec, staffed.an)
    assert changed.full_name == "Nguyễn Văn Ân"
    other = officer_spec(staffed.bach_ha_land, staff_number="NA-0003", full_name="Lê Cường")
    with pytest.raises(PermissionDenied):
        services.save_officer(people.do_luong_admin, other, staffed.cuong)
    # nor may they move their own officer into another commune
    with pytest.raises(PermissionDenied):
        services.save_officer(people.do_luong_admin, officer_spec(staffed.bach_ha_land), changed)


@pytest.mark.parametrize("who", ["do_luong", "supervisor", "health"])
def test_those_who_do_not_administer_staff_change_no_officer(staffed, people, who):
    spec = officer_spec(staffed.do_luong_land, full_name="Ai đó")
    with pytest.raises(PermissionDenied):
        services.save_officer(getattr(people, who), spec, staffed.an)
    with pytest.raises(PermissionDenied):
        services.remove_officer(getattr(people, who), staffed.an)


def test_only_a_one_stop_desks_officers_carry_posting_dates(staffed, people):
    spec = officer_spec(
        staffed.do_luong_land,
        desk_posting_from=dt.date(2025, 7, 1),
        desk_posting_until=dt.date(2026, 7, 1),
    )
    with pytest.raises(InvalidInput, match="has no one-stop desk"):
        services.save_officer(people.home_affairs, spec, staffed.an)


def test_a_posting_ends_after_it_begins(staffed, people):
    spec = officer_spec(
        staffed.do_luong_desk,
        staff_number="NA-0002",
        desk_posting_from=dt.date(2026, 7, 1),
        desk_posting_until=dt.date(2026, 6, 30),
    )
    with pytest.raises(InvalidInput, match="ends before it begins"):
        services.save_officer(people.home_affairs, spec, staffed.binh)
    problems = services.officer_problems(spec, dt.date(2026, 1, 1))
    assert set(problems) == {"desk_posting_until"}


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"citizen_id": "12345"}, "citizen_id"),
        ({"citizen_id": "999195012345"}, "citizen_id"),  # no province of registration 999
        ({"phone": "12345"}, "phone"),
        ({"experience_years": 81}, "experience_years"),
        ({"full_name": "  "}, "full_name"),
        ({"staff_number": "NA\x00"}, "staff_number"),
    ],
)
def test_what_is_wrong_is_said_per_field(staffed, changes, field):
    spec = officer_spec(staffed.do_luong_land, **changes)
    assert set(services.officer_problems(spec, dt.date(2026, 1, 1))) == {field}


def test_a_staff_number_is_one_officers(staffed, people):
    with pytest.raises(Conflict, match="NA-0001"):
        services.save_officer(
            people.home_affairs, officer_spec(staffed.bach_ha_land, staff_number="NA-0001")
        )


def test_an_account_is_linked_to_one_officer(staffed, people):
    account = people.do_luong
    services.link_account(people.do_luong_admin, staffed.an, account)
    assert Officer.objects.get(pk=staffed.an.pk).user == account
    with pytest.raises(Conflict, match="NA-0001"):
        services.link_account(people.home_affairs, staffed.cuong, account)
    services.link_account(people.do_luong_admin, staffed.an, None)
    assert Officer.objects.get(pk=staffed.an.pk).user is None


def test_a_create_sent_again_with_its_key_makes_one_officer(staffed, people):
    spec = officer_spec(staffed.bach_ha_land, staff_number="NA-0100", full_name="Phạm Dũng")
    first = services.save_officer(people.home_affairs, spec, idempotency_key="k-1")
    again = services.save_officer(people.home_affairs, spec, idempotency_key="k-1")
    assert again.pk == first.pk
    assert Officer.objects.filter(staff_number="NA-0100").count() == 1
    other = officer_spec(staffed.bach_ha_land, staff_number="NA-0101", full_name="Khác")
    with pytest.raises(IdempotencyKeyReused):
        services.save_officer(people.home_affairs, other, idempotency_key="k-1")
    # another user's key is their own
    mine = services.save_officer(people.admin, other, idempotency_key="k-1")
    assert mine.staff_number == "NA-0101"


def test_an_officer_is_removed_and_the_removal_audited(staffed, people):
    services.remove_officer(people.do_luong_admin, staffed.an)
    assert not Officer.objects.filter(pk=staffed.an.pk).exists()
    record = AuditRecord.objects.get(action="officer.removed", object_id=str(staffed.an.pk))
    assert record.before["citizen_id"] == "040******345"


def test_positions_are_the_staffing_authoritys(staffed, people):
    spec = services.PositionSpec(agency(DO_LUONG_ECONOMIC), staffed.do_luong_land.field, "X", 1)
    with pytest.raises(PermissionDenied):
        services.save_position(people.do_luong_admin, spec)
    made = services.save_position(people.home_affairs, spec)
    assert AuditRecord.objects.filter(action="position.created", object_id=str(made.pk)).exists()


def test_an_approved_count_may_fall_below_the_officers_in_the_post(staffed, people):
    land = staffed.do_luong_land
    spec = services.PositionSpec(land.agency, land.field, land.grade, 0)
    assert services.save_position(people.home_affairs, spec, land).approved == 0
    with pytest.raises(Conflict):
        services.remove_position(people.home_affairs, land)
    empty = services.save_position(
        people.home_affairs,
        services.PositionSpec(agency(BACH_HA_ECONOMIC), land.field, "Cán sự", 1),
    )
    services.remove_position(people.home_affairs, empty)
    assert not Position.objects.filter(pk=empty.pk).exists()


def test_a_position_is_one_per_agency_field_and_grade(staffed, people):
    land = staffed.do_luong_land
    with pytest.raises(Conflict):
        services.save_position(
            people.home_affairs, services.PositionSpec(land.agency, land.field, land.grade, 3)
        )


def test_norms_one_per_field_and_place(fields, people):
    spec = services.NormSpec(
        fields["DATDAI"], Basis.WORKLOAD, dossiers_per_officer_month=60, minimum=1
    )
    norm = services.save_norm(people.home_affairs, spec)
    assert (norm.unit, norm.agency, norm.count) == (None, None, 0)
    with pytest.raises(Conflict):
        services.save_norm(people.home_affairs, spec)
    one = services.save_norm(
        people.home_affairs,
        services.NormSpec(fields["DATDAI"], Basis.FIXED, count=3, unit=commune(BACH_HA)),
    )
    assert (one.count, one.dossiers_per_officer_month) == (3, 0)
    with pytest.raises(PermissionDenied):
        services.save_norm(people.do_luong_admin, spec, norm)
    services.remove_norm(people.home_affairs, one)
    assert list(NormRule.objects.values_list("pk", flat=True)) == [norm.pk]


@pytest.mark.parametrize(
    "changes, refusal",
    [
        ({"basis": Basis.WORKLOAD}, "one officer handles a month"),
        ({"agency": DO_LUONG_PPC}, "not a provincial agency"),
        ({"unit": "40"}, "^Tỉnh Nghệ An is not a current commune"),  # a sentence starts capitalised
    ],
)
def test_a_norm_is_refused_for_what_it_cannot_be(fields, people, changes, refusal):
    values = {"field": fields["CNTT"], "basis": Basis.FIXED, "count": 1}
    if "agency" in changes:
        changes = {"agency": agency(changes["agency"])}
    if "unit" in changes:
        changes = {"unit": commune(changes["unit"])}
    with pytest.raises(InvalidInput, match=refusal):
        services.save_norm(people.home_affairs, services.NormSpec(**(values | changes)))


def test_a_provincial_agency_keeps_its_own_norm(fields, people):
    spec = services.NormSpec(fields["YTE"], Basis.FIXED, count=4, agency=agency(HOME_AFFAIRS))
    assert services.save_norm(people.home_affairs, spec).agency.code == HOME_AFFAIRS


def test_a_travel_time_is_one_row_either_way(people):
    do_luong, bach_ha = commune(DO_LUONG), commune(BACH_HA)
    services.set_travel_time(people.home_affairs, bach_ha, do_luong, 25)
    services.set_travel_time(people.home_affairs, do_luong, bach_ha, 30)
    (travel,) = TravelTime.objects.all()
    assert travel.one_id == min(do_luong.pk, bach_ha.pk)
    assert travel.minutes == 30
    with pytest.raises(InvalidInput):
        services.set_travel_time(people.home_affairs, do_luong, do_luong, 0)
    with pytest.raises(PermissionDenied):
        services.set_travel_time(people.do_luong_admin, do_luong, bach_ha, 5)
