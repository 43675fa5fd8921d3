"""The register's writes: identifiers given once and never again, corrections that never touch
the identifier, holder or origin, moves appended to a history the database keeps, surplus, who
may do what, and the audit."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models.deletion import ProtectedError
from django.utils import translation

from haicap.assets.models import Asset, Movement
from haicap.assets.services import register
from haicap.core import clock
from haicap.core.audit import snapshot
from haicap.core.errors import Conflict, IdempotencyKeyReused, InvalidInput, PermissionDenied
from haicap.core.models import AuditRecord
from tests.assets import register_world as w

pytestmark = pytest.mark.django_db
DECIDED = dt.date(2025, 9, 15)


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(db):
    return w.make()


def fixed(asset: Asset) -> tuple:
    """What no service changes but a movement: identifier, holder, origin."""
    asset.refresh_from_db()
    return asset.identifier, asset.holder_id, asset.origin_id


def transfer(to: str, **changes) -> register.MovementSpec:
    values = {"on": DECIDED, "decision": "1234/QĐ-UBND", "to_agency": w.agency(to)}
    return register.MovementSpec(**(values | changes))


# --- entering ---------------------------------------------------------------------------------


def test_assets_are_numbered_in_the_provinces_running_sequence_with_a_first_movement(world):
    assert [a.identifier for a in (world.office, world.scanner, world.computer, world.car)] == [
        "TS.40.000001",
        "TS.40.000002",
        "TS.40.000003",
        "TS.40.000004",
    ]
    (first,) = world.office.movements.all()
    assert (first.kind, first.from_agency, first.to_agency, first.on) == (
        Movement.Kind.REGISTERED,
        None,
        w.agency(w.DO_LUONG_PPC),
        w.DAY,
    )
    assert first.recorded_by == world.people.finance
    record = AuditRecord.objects.get(action="asset.registered", object_id=str(world.office.pk))
    assert record.after["identifier"] == "TS.40.000001"
    assert record.actor == world.people.finance


def test_an_identifier_the_province_gives_is_kept_and_the_sequence_runs_past_its_own_form(world):
    new = register.NewAsset(
        w.details(world.kinds["KHAC"], "Bàn ghế hội trường"),
        holder=w.agency(w.BACH_HA_PPC),
        identifier=" qlts-na/0042 ",
    )
    assert register.register_asset(world.people.finance, new).identifier == "QLTS-NA/0042"
    numbered = register.NewAsset(new.details, new.holder, identifier="TS.40.000500")
    register.register_asset(world.people.finance, numbered)
    plain = register.NewAsset(new.details, new.holder)
    assert register.register_asset(world.people.finance, plain).identifier == "TS.40.000501"
    with pytest.raises(Conflict):
        register.register_asset(world.people.finance, numbered)
    with pytest.raises(InvalidInput):
        bad = register.NewAsset(new.details, new.holder, identifier="TS 40")
        register.register_asset(world.people.finance, bad)


def test_an_entered_asset_cannot_be_deleted_so_its_identifier_is_never_given_again(world):
    with pytest.raises(ProtectedError), transaction.atomic():
        world.car.delete()
    assert register.next_identifier() == "TS.40.000005"


def test_the_largest_running_number_wins_over_the_longest_text(world):
    new = register.NewAsset(w.details(world.kinds["KHAC"], "Tủ"), holder=w.agency(w.BACH_HA_PPC))
    register.register_asset(
        None, register.NewAsset(new.details, new.holder, identifier="TS.40.0000010")
    )
    register.register_asset(
        None, register.NewAsset(new.details, new.holder, identifier="TS.40.000009")
    )
    assert register.next_identifier() == "TS.40.000011"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"remaining_value": 1_000_000_001}, "remaining_value"),
        ({"original_value": -1}, "original_value"),
        ({"acquired_year": 1850}, "acquired_year"),
        ({"name": "  "}, "name"),
        ({"condition": "splendid"}, "condition"),
        ({"area_m2": Decimal("12.5")}, "area_m2"),  # a scanner has no floor area
        ({"name": "Máy\x00quét"}, "name"),
    ],
)
def test_what_an_asset_is_follows_the_sheets_rules(world, changes, field):
    details = w.details(world.kinds["MAYSCAN"], "Máy quét", **changes)
    assert set(register.asset_problems(details)) == {field}
    new = register.NewAsset(details, holder=w.agency(w.DO_LUONG_DESK))
    with pytest.raises(InvalidInput):
        register.register_asset(world.people.finance, new)


def test_a_year_to_come_is_refused_and_this_year_taken(world):
    this_year = register.today().year
    kind = world.kinds["MAYTINH"]
    assert register.asset_problems(w.details(kind, "Máy", acquired_year=this_year)) == {}
    found = register.asset_problems(w.details(kind, "Máy", acquired_year=this_year + 1))
    assert found == {"acquired_year": f"The year {this_year + 1} has not come yet"}


def test_the_holder_is_a_current_agency_and_the_origin_a_former_unit(world):
    details = w.details(world.kinds["KHAC"], "Tủ")
    current = w.agency(w.DO_LUONG_PPC).unit
    with pytest.raises(InvalidInput, match="still exists"):
        register.register_asset(
            None, register.NewAsset(details, w.agency(w.DO_LUONG_PPC), origin=current)
        )


def test_an_asset_is_not_entered_on_a_day_to_come(world):
    new = register.NewAsset(w.details(world.kinds["KHAC"], "Tủ"), holder=w.agency(w.BACH_HA_PPC))
    tomorrow = register.today() + dt.timedelta(days=1)
    with pytest.raises(InvalidInput, match="cannot be in the future"):
        register.register_asset(world.people.finance, new, on=tomorrow)
    assert register.register_asset(world.people.finance, new, on=register.today()).pk


def test_only_finance_enters_assets(world):
    new = register.NewAsset(w.details(world.kinds["KHAC"], "Tủ"), holder=w.agency(w.BACH_HA_PPC))
    for outsider in (
        world.people.do_luong_admin,
        world.people.supervisor,
        world.people.home_affairs,
    ):
        with pytest.raises(PermissionDenied):
            register.register_asset(outsider, new)
    assert register.register_asset(world.people.finance_leader, new).pk
    assert register.register_asset(world.people.admin, new).pk


def test_entering_once_per_idempotency_key(world):
    finance = world.people.finance
    new = register.NewAsset(w.details(world.kinds["KHAC"], "Tủ"), holder=w.agency(w.BACH_HA_PPC))
    first = register.register_asset(finance, new, idempotency_key="k-1")
    assert register.register_asset(finance, new, idempotency_key="k-1") == first
    assert Asset.objects.filter(name="Tủ").count() == 1
    other = register.NewAsset(replace_name(new.details, "Ghế"), new.holder)
    with pytest.raises(IdempotencyKeyReused):
        register.register_asset(finance, other, idempotency_key="k-1")
    # another officer's key is their own
    assert register.register_asset(world.people.finance_leader, new, idempotency_key="k-1") != first


def replace_name(details: register.AssetDetails, name: str) -> register.AssetDetails:
    return register.AssetDetails(**{**vars(details), "name": name})


# --- correcting -------------------------------------------------------------------------------


def test_finance_corrects_an_asset_but_never_its_identifier_holder_or_origin(world):
    before = fixed(world.office)
    details = register.AssetDetails(
        **{**vars(register.details_of(world.office)), "remaining_value": 1_000_000_000}
    )
    register.update_asset(world.people.finance, world.office, details)
    assert fixed(world.office) == before
    assert world.office.remaining_value == 1_000_000_000
    record = AuditRecord.objects.get(action="asset.updated", object_id=str(world.office.pk))
    assert record.before == {"remaining_value": 1_250_000_000}
    assert record.after == {"remaining_value": 1_000_000_000}
    assert not {"identifier", "holder", "origin"} & set(register.EDITABLE)


def test_the_holders_administrator_or_leader_updates_the_condition_only(world):
    office = world.office
    for editor in (world.people.do_luong_admin, world.people.do_luong_leader):
        details = register.details_of(office)
        condition = "poor" if details.condition != "poor" else "fair"
        changed = register.AssetDetails(**{**vars(details), "condition": condition})
        assert register.update_asset(editor, office, changed).condition == condition
        with pytest.raises(PermissionDenied):
            more = register.AssetDetails(**{**vars(changed), "remaining_value": 1})
            register.update_asset(editor, office, more)
    condition_only = register.AssetDetails(
        **{**vars(register.details_of(office)), "condition": "good"}
    )
    for outsider in (world.people.do_luong, world.people.bach_ha_admin, world.people.supervisor):
        with pytest.raises(PermissionDenied):
            register.update_asset(outsider, office, condition_only)


# --- moving -----------------------------------------------------------------------------------


def test_a_transfer_moves_the_holder_and_appends_to_the_history(world):
    office, finance = world.office, world.people.finance
    register.mark_surplus(finance, office)
    moved = register.record_movement(finance, office, transfer(w.BACH_HA_PPC, note="Kho"))
    office.refresh_from_db()
    assert (office.holder.code, office.status) == (w.BACH_HA_PPC, Asset.Status.IN_USE)
    assert (moved.kind, moved.from_agency.code, moved.to_agency.code) == (
        Movement.Kind.TRANSFERRED,
        w.DO_LUONG_PPC,
        w.BACH_HA_PPC,
    )
    assert (moved.on, moved.decision, moved.note, moved.recorded_by) == (
        DECIDED,
        "1234/QĐ-UBND",
        "Kho",
        finance,
    )
    assert [m.kind for m in office.movements.order_by("on", "pk")] == ["registered", "transferred"]
    assert office.identifier == "TS.40.000001" and office.origin == w.former("xã", "Đà Sơn")


def test_a_movement_never_edits_an_earlier_one(world):
    office, finance = world.office, world.people.finance
    earlier = [snapshot(m) for m in office.movements.order_by("pk")]
    register.record_movement(finance, office, transfer(w.BACH_HA_PPC))
    register.record_movement(finance, office, transfer(w.DO_LUONG_ECONOMIC))
    register.record_movement(
        finance, office, register.MovementSpec(on=DECIDED, decision="9/QĐ", disposal="sale")
    )
    after = [snapshot(m) for m in office.movements.order_by("pk")]
    assert after[: len(earlier)] == earlier
    assert len(after) == 4
    assert [(m["from_agency_id"], m["to_agency_id"]) for m in after[1:]] == [
        (w.agency(w.DO_LUONG_PPC).pk, w.agency(w.BACH_HA_PPC).pk),
        (w.agency(w.BACH_HA_PPC).pk, w.agency(w.DO_LUONG_ECONOMIC).pk),
        (w.agency(w.DO_LUONG_ECONOMIC).pk, None),
    ]


def test_the_database_refuses_to_change_or_remove_a_movement(world):
    movement = world.office.movements.get()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Movement.objects.filter(pk=movement.pk).update(decision="sửa")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM assets_movement WHERE id = %s", [movement.pk])
    movement.refresh_from_db()
    assert movement.decision == ""


def test_a_disposal_marks_the_asset_disposed_and_it_moves_no_more(world):
    car, finance = world.car, world.people.finance
    spec = register.MovementSpec(
        on=DECIDED, decision="77/QĐ-STC", disposal="liquidation", note="Xe hỏng nặng"
    )
    disposed = register.record_movement(finance, car, spec)
    car.refresh_from_db()
    assert (car.status, car.holder) == (Asset.Status.DISPOSED, None)
    assert (disposed.kind, disposed.from_agency.code, disposed.to_agency) == (
        "disposed",
        w.FINANCE,
        None,
    )
    assert disposed.note == "Thanh lý: Xe hỏng nặng"
    record = AuditRecord.objects.get(action="movement.recorded", object_id=str(disposed.pk))
    assert record.after["disposal"] == "liquidation"
    with pytest.raises(Conflict):
        register.record_movement(finance, car, transfer(w.BACH_HA_PPC))
    with pytest.raises(Conflict):
        register.update_asset(finance, car, register.details_of(car))
    with pytest.raises(Conflict):
        register.mark_surplus(finance, car)
    assert car.movements.count() == 2


@pytest.mark.parametrize(
    "spec, problem",
    [
        (lambda: transfer(w.DO_LUONG_PPC), "already holds the asset"),
        (lambda: transfer(w.BACH_HA_PPC, decision=""), "Give the decision"),
        (lambda: transfer(w.BACH_HA_PPC, on=dt.date(2099, 1, 1)), "cannot be in the future"),
        (lambda: register.MovementSpec(on=DECIDED, decision="1/QĐ"), "Choose the agency"),
        (lambda: register.MovementSpec(on=DECIDED, decision="1/QĐ", disposal="melt"), "Choose how"),
        (
            lambda: register.MovementSpec(
                on=DECIDED, decision="1/QĐ", kind=Movement.Kind.REGISTERED
            ),
            "only once",
        ),
    ],
)
def test_a_move_that_cannot_be_is_refused_and_nothing_changes(world, spec, problem):
    with pytest.raises(InvalidInput, match=problem):
        register.record_movement(world.people.finance, world.office, spec())
    assert world.office.movements.count() == 1
    assert fixed(world.office)[1] == w.agency(w.DO_LUONG_PPC).pk


def test_a_move_is_not_dated_before_the_last_but_may_precede_the_entry_in_the_register(world):
    finance, office = world.people.finance, world.office
    taken_over = transfer(w.BACH_HA_PPC, on=dt.date(2025, 6, 30), kind=Movement.Kind.TAKEN_OVER)
    register.record_movement(finance, office, taken_over)
    with pytest.raises(InvalidInput, match="last move was on 30/06/2025"):
        register.record_movement(finance, office, transfer(w.DO_LUONG_PPC, on=dt.date(2025, 6, 29)))
    register.record_movement(finance, office, transfer(w.DO_LUONG_PPC, on=dt.date(2025, 6, 30)))
    assert office.movements.count() == 3


def test_a_move_to_an_agency_of_a_unit_that_no_longer_exists_is_refused(world):
    gone = w.agency(w.BACH_HA_PPC)
    unit = gone.unit
    unit.valid_to = dt.date(2025, 6, 30)
    unit.save(update_fields=["valid_to"])
    with pytest.raises(InvalidInput, match="no longer exists"):
        register.record_movement(world.people.finance, world.office, transfer(w.BACH_HA_PPC))


def test_only_finance_records_moves(world):
    for outsider in (world.people.do_luong_admin, world.people.supervisor):
        with pytest.raises(PermissionDenied):
            register.record_movement(outsider, world.office, transfer(w.BACH_HA_PPC))


def test_a_move_is_recorded_once_per_idempotency_key(world):
    finance = world.people.finance
    first = register.record_movement(
        finance, world.office, transfer(w.BACH_HA_PPC), idempotency_key="m-1"
    )
    again = register.record_movement(
        finance, world.office, transfer(w.BACH_HA_PPC), idempotency_key="m-1"
    )
    assert again == first
    assert world.office.movements.count() == 2
    with pytest.raises(IdempotencyKeyReused):
        register.record_movement(
            finance, world.office, transfer(w.DO_LUONG_DESK), idempotency_key="m-1"
        )


def test_identifier_holder_and_origin_change_by_no_other_service(world):
    office, finance = world.office, world.people.finance
    before = fixed(office)
    register.mark_surplus(finance, office)
    register.back_in_use(world.people.do_luong_admin, office)
    details = register.details_of(office)
    register.update_asset(finance, office, register.AssetDetails(**{**vars(details), "name": "X"}))
    assert fixed(office) == before


# --- surplus ----------------------------------------------------------------------------------


def test_the_holder_declares_an_asset_surplus_and_back_in_use(world):
    office, admin = world.office, world.people.do_luong_admin
    assert register.mark_surplus(admin, office).status == Asset.Status.SURPLUS
    assert register.mark_surplus(admin, office).status == Asset.Status.SURPLUS
    changes = AuditRecord.objects.filter(action="asset.status_changed", object_id=str(office.pk))
    assert changes.count() == 1
    assert register.back_in_use(admin, office).status == Asset.Status.IN_USE
    with pytest.raises(PermissionDenied):
        register.mark_surplus(world.people.bach_ha_admin, office)
    with pytest.raises(PermissionDenied):
        register.mark_surplus(world.people.do_luong, office)


def test_today_is_vietnams_day():
    late = dt.datetime(2026, 3, 1, 18, 30, tzinfo=dt.UTC)  # 01:30 on 2 March in Vietnam
    with clock.fixed_at(late):
        assert register.today() == dt.date(2026, 3, 2)
