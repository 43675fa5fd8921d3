"""Take-over records: opened with every asset of the abolished unit, a destination for each,
refused a signature while one has none (named), signed by a Finance leader, then frozen; signing
moves each asset in one transaction."""

import datetime as dt

import pytest
from django.db import DatabaseError, transaction
from django.utils import translation

from haicap.assets import selectors
from haicap.assets.models import Asset, Disposal, Movement, TakeoverLine
from haicap.assets.services import takeover
from haicap.assets.services.takeover import AssetsWithoutDestination, RecordSigned
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.collation import vietnamese_key
from haicap.core.errors import Conflict, InvalidInput, PermissionDenied
from haicap.core.models import AuditRecord
from haicap.units.models import AdministrativeUnit
from tests.assets.takeover_world import (
    BACH_NGOC_PPC,
    DO_LUONG,
    DO_LUONG_PPC,
    HEALTH,
    agency,
    district_assets,
    finance_world,
    former_district,
    kinds,
    make_asset,
    merged_commune,
)
from tests.conftest import client_for

SIGNED_ON = dt.date(2025, 7, 15)
NOW = dt.datetime(2025, 7, 20, 9, 0, tzinfo=VIETNAM)


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def people(db):
    return finance_world()


@pytest.fixture
def assets(db):
    return district_assets()


@pytest.fixture
def record(people, assets):
    return takeover.open_record(people.specialist, former_district())


def line_of(record, asset) -> TakeoverLine:
    return record.lines.get(asset=asset)


def place_all_but_scanner(people, record, assets):
    takeover.set_destination(
        people.specialist, line_of(record, assets.office), destination=agency(DO_LUONG_PPC)
    )
    takeover.set_destination(
        people.specialist, line_of(record, assets.car), destination=agency(HEALTH)
    )
    takeover.set_destination(
        people.specialist, line_of(record, assets.computer), destination=agency(BACH_NGOC_PPC)
    )


def test_a_record_lists_every_asset_that_came_from_the_unit_and_nothing_else(people, assets):
    elsewhere = make_asset(
        kinds()["MAYTINH"],
        "Máy tính của xã Bắc Sơn",
        origin=merged_commune(),
        holder=agency(DO_LUONG_PPC),
        original=15_000_000,
        remaining=5_000_000,
    )
    gone = make_asset(
        kinds()["MAYTINH"],
        "Máy tính đã thanh lý",
        origin=former_district(),
        holder=agency(DO_LUONG_PPC),
        original=15_000_000,
        remaining=0,
        status=Asset.Status.DISPOSED,
    )
    record = takeover.open_record(people.specialist, former_district())
    listed = set(record.lines.values_list("asset__identifier", flat=True))
    assert listed == {a.identifier for a in vars(assets).values()}
    assert elsewhere.identifier not in listed and gone.identifier not in listed
    # the merged commune has a record of its own, with its asset
    commune_record = takeover.open_record(people.specialist, merged_commune())
    assert list(commune_record.lines.values_list("asset", flat=True)) == [elsewhere.pk]


def test_opening_again_adds_the_assets_registered_since_and_keeps_the_destinations(
    people, assets, record
):
    takeover.set_destination(
        people.specialist, line_of(record, assets.car), destination=agency(HEALTH)
    )
    later = make_asset(
        kinds()["MAYQUET"],
        "Máy quét tìm thấy sau",
        origin=former_district(),
        holder=agency(DO_LUONG_PPC),
        original=20_000_000,
        remaining=10_000_000,
    )
    again = takeover.open_record(people.specialist, former_district())
    assert again.pk == record.pk
    assert record.lines.count() == 5 and record.lines.filter(asset=later).exists()
    assert line_of(record, assets.car).destination == agency(HEALTH)


def test_an_asset_already_taken_over_is_not_listed_again(people, assets):
    Movement.objects.create(
        asset=assets.car,
        kind=Movement.Kind.TAKEN_OVER,
        to_agency=agency(HEALTH),
        on=dt.date(2025, 7, 2),
    )
    record = takeover.open_record(people.specialist, former_district())
    assert not record.lines.filter(asset=assets.car).exists()


def test_only_an_abolished_unit_has_a_record(people):
    current = AdministrativeUnit.objects.get(code=DO_LUONG)
    with pytest.raises(InvalidInput, match="not an abolished unit"):
        takeover.open_record(people.specialist, current)


def test_a_destination_is_a_current_communes_or_a_provincial_agency(people, assets, record):
    line = line_of(record, assets.car)
    abolished_agency = agency(DO_LUONG_PPC)
    abolished_agency.unit = former_district()  # as if the agency were the abolished unit's
    with pytest.raises(InvalidInput, match="cannot take an asset over"):
        takeover.set_destination(people.specialist, line, destination=abolished_agency)
    with pytest.raises(InvalidInput, match="not both"):
        takeover.set_destination(
            people.specialist, line, destination=agency(HEALTH), disposal=Disposal.SALE
        )
    with pytest.raises(InvalidInput, match="goes to an agency"):
        takeover.set_destination(people.specialist, line, disposal=Disposal.REUSE)
    takeover.set_destination(people.specialist, line, disposal=Disposal.SALE)
    line.refresh_from_db()
    assert (line.destination, line.disposal) == (None, Disposal.SALE)


def test_a_commune_or_a_supervisor_sets_no_destination(people, assets, record):
    for outsider in (people.do_luong, people.supervisor):
        with pytest.raises(PermissionDenied):
            takeover.set_destination(
                outsider, line_of(record, assets.car), destination=agency(HEALTH)
            )


def test_the_signature_is_refused_naming_the_asset_without_destination_then_given(
    people, assets, record
):
    place_all_but_scanner(people, record, assets)
    with clock.fixed_at(NOW), pytest.raises(AssetsWithoutDestination) as refused:
        takeover.sign(people.leader, record, on=SIGNED_ON, number="15/BB-STC")
    assert refused.value.status == 409
    assert f"{assets.scanner.identifier} Máy quét Fujitsu fi-7160" in refused.value.detail
    assert assets.car.identifier not in refused.value.detail
    assert refused.value.extra == {"assets": [assets.scanner.identifier]}
    record.refresh_from_db()
    assert not record.signed and not Movement.objects.filter(kind="taken_over").exists()

    takeover.set_destination(
        people.specialist, line_of(record, assets.scanner), disposal=Disposal.LIQUIDATION
    )
    with clock.fixed_at(NOW):
        takeover.sign(people.leader, record, on=SIGNED_ON, number="15/BB-STC")
    record.refresh_from_db()
    assert (record.signed_on, record.number, record.signed_by) == (
        SIGNED_ON,
        "15/BB-STC",
        people.leader,
    )


def test_the_refusal_names_every_asset_without_destination_in_vietnamese(people, assets, record):
    with (
        clock.fixed_at(NOW),
        translation.override("vi"),
        pytest.raises(AssetsWithoutDestination) as refused,
    ):
        takeover.sign(people.leader, record, on=SIGNED_ON, number="15/BB-STC")
    detail = refused.value.detail
    assert detail.startswith("Chưa thể ký biên bản")
    for asset in vars(assets).values():
        assert f"{asset.identifier} {asset.name}" in detail


def test_signing_moves_each_asset_to_its_destination_or_disposes_of_it(people, assets, record):
    place_all_but_scanner(people, record, assets)
    takeover.set_destination(
        people.specialist, line_of(record, assets.scanner), disposal=Disposal.LIQUIDATION
    )
    with clock.fixed_at(NOW):
        takeover.sign(people.leader, record, on=SIGNED_ON, number="15/BB-STC")
    moves = {
        m.asset_id: m for m in Movement.objects.filter(on=SIGNED_ON).select_related("to_agency")
    }
    assert set(moves) == {a.pk for a in vars(assets).values()}
    for asset, destination in (
        (assets.office, DO_LUONG_PPC),
        (assets.car, HEALTH),
        (assets.computer, BACH_NGOC_PPC),
    ):
        move = moves[asset.pk]
        assert (move.kind, move.to_agency.code, move.from_agency.code) == (
            Movement.Kind.TAKEN_OVER,
            destination,
            DO_LUONG_PPC,
        )
        assert (move.decision, move.recorded_by) == ("15/BB-STC", people.leader)
        asset.refresh_from_db()
        assert asset.holder.code == destination and asset.status == Asset.Status.IN_USE
    scrapped = moves[assets.scanner.pk]
    assert (scrapped.kind, scrapped.to_agency) == (Movement.Kind.DISPOSED, None)
    assets.scanner.refresh_from_db()
    assert assets.scanner.status == Asset.Status.DISPOSED
    signed = AuditRecord.objects.filter(action="takeover.signed").get()
    assert sorted(signed.after["movements"]) == sorted(m.pk for m in moves.values())


def test_a_signed_record_is_frozen(people, assets, record):
    place_all_but_scanner(people, record, assets)
    takeover.set_destination(
        people.specialist, line_of(record, assets.scanner), disposal=Disposal.SALE
    )
    with clock.fixed_at(NOW):
        takeover.sign(people.leader, record, on=SIGNED_ON, number="15/BB-STC")
    late = make_asset(
        kinds()["MAYQUET"],
        "Máy quét tìm thấy sau khi ký",
        origin=former_district(),
        holder=agency(DO_LUONG_PPC),
        original=20_000_000,
        remaining=10_000_000,
    )
    edits = (
        lambda: takeover.set_destination(
            people.specialist, line_of(record, assets.car), destination=agency(DO_LUONG_PPC)
        ),
        lambda: takeover.set_destination(people.specialist, line_of(record, assets.car)),
        lambda: takeover.describe_parties(
            people.specialist, record, handed_by="Người khác", received_by="Người khác"
        ),
        lambda: takeover.sign(people.leader, record, on=SIGNED_ON, number="16/BB-STC"),
    )
    with clock.fixed_at(NOW):
        for edit in edits:
            with pytest.raises(RecordSigned) as refused:
                edit()
            assert refused.value.status == 409
            assert "15/07/2025" in refused.value.detail
    # opening the record again adds nothing to it
    takeover.open_record(people.specialist, former_district())
    assert record.lines.count() == 4 and not record.lines.filter(asset=late).exists()
    assert line_of(record, assets.car).destination == agency(HEALTH)
    assert Movement.objects.filter(decision="16/BB-STC").count() == 0


def test_only_a_finance_leader_signs(people, assets, record):
    place_all_but_scanner(people, record, assets)
    takeover.set_destination(
        people.specialist, line_of(record, assets.scanner), disposal=Disposal.SALE
    )
    with clock.fixed_at(NOW):
        for someone in (people.specialist, people.do_luong, people.supervisor):
            with pytest.raises(PermissionDenied):
                takeover.sign(someone, record, on=SIGNED_ON, number="15/BB-STC")
        with pytest.raises(InvalidInput):
            takeover.sign(people.leader, record, on=NOW.date() + dt.timedelta(1), number="15")
        with pytest.raises(InvalidInput):
            takeover.sign(people.leader, record, on=SIGNED_ON, number="  ")
    record.refresh_from_db()
    assert not record.signed


def test_a_record_with_no_asset_cannot_be_signed(people):
    record = takeover.open_record(people.specialist, merged_commune())
    with clock.fixed_at(NOW), pytest.raises(Conflict, match="nothing to hand over"):
        takeover.sign(people.leader, record, on=SIGNED_ON, number="1/BB-STC")


def test_a_failure_while_signing_leaves_nothing_moved(people, assets, record, monkeypatch):
    """One transaction: when the last asset cannot be written (the database fails), the record
    stays unsigned and no asset has moved."""
    place_all_but_scanner(people, record, assets)
    takeover.set_destination(
        people.specialist, line_of(record, assets.scanner), disposal=Disposal.SALE
    )
    original = Asset.save

    def failing_save(self, *args, **kwargs):
        if self.pk == assets.scanner.pk:
            raise DatabaseError("disk full")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Asset, "save", failing_save)
    with clock.fixed_at(NOW), pytest.raises(DatabaseError), transaction.atomic():
        takeover.sign(people.leader, record, on=SIGNED_ON, number="15/BB-STC")
    monkeypatch.undo()
    record.refresh_from_db()
    assert not record.signed
    assert not Movement.objects.filter(on=SIGNED_ON).exists()
    assets.office.refresh_from_db()
    assert assets.office.holder.code == DO_LUONG_PPC


def test_the_parties_are_named_and_audited(people, record):
    takeover.describe_parties(
        people.specialist,
        record,
        handed_by="Ông Nguyễn Văn Hùng, Chánh Văn phòng",
        received_by="Ông Đặng Văn Lương",
    )
    record.refresh_from_db()
    assert record.handed_by == "Ông Nguyễn Văn Hùng, Chánh Văn phòng"
    assert AuditRecord.objects.filter(action="takeover.parties").count() == 1


def test_the_asset_page_names_the_abolished_unit_as_the_giver_of_a_take_over(
    people, assets, record
):
    """The record hands over what the abolished unit held: its custodian since 1 July kept it,
    and is said to have, but the giver is the former unit."""
    place_all_but_scanner(people, record, assets)
    takeover.set_destination(
        people.specialist, line_of(record, assets.scanner), disposal=Disposal.LIQUIDATION
    )
    with clock.fixed_at(NOW):
        takeover.sign(people.leader, record, on=SIGNED_ON, number="15/BB-STC")
    page = client_for(people.leader.username).get(f"/desk/tai-san/{assets.computer.pk}/")
    html = page.content.decode()
    rows = html.split('data-testid="movement-from">')[1:]
    taken_over = [row.split("</td>")[0] for row in rows if "</td>" in row][-1]
    assert f"{assets.computer.origin.full_name} (cũ)" in taken_over
    assert "đến khi bàn giao" in taken_over


def test_the_records_are_listed_as_vietnamese_readers_sort_names(people):
    """Đ after every D, and tones after the plain letter: "Lạc Sơn" before "Lưu Sơn"."""
    district = former_district()
    merged = AdministrativeUnit.objects.filter(parent=district).order_by("pk")
    for unit in merged:
        takeover.open_record(people.specialist, unit)
    listed = [r.former_unit.name for r in selectors.visible_takeovers(people.specialist)]
    communes = [name for name in listed if name != district.name]
    assert communes == sorted(communes, key=vietnamese_key)
    assert communes != sorted(communes)  # the code-point order differs here
