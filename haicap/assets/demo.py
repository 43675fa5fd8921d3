"""The demo province's offices and public assets: the former Đô Lương district's assets handed
to its six communes and the province, surplus commune offices with their disposal plans, and
the equipment gaps working group no. 4's inspection found.

ILLUSTRATIVE, and said so where an officer reads it: the values, years and conditions are
invented; the equipment norms are haicap's example (the issue's "a computer, a scanner, a
printer, a receipt printer and a queue ticket kiosk per desk"), not a legal standard.

The rest of the province's register (every other commune's office and one-stop desk equipment)
is bulk-loaded as entered on 1 July 2025, each asset with its "entered in the register"
movement; the Đô Lương story goes through the services, audited, as an officer would do it.
"""

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from haicap.accounts.models import User
from haicap.assets import asset_sheet
from haicap.assets.models import (
    AllocationProposal,
    Asset,
    AssetKind,
    Category,
    Condition,
    Disposal,
    EquipmentNorm,
    Movement,
)
from haicap.assets.services import allocation, disposal, norms, register, takeover
from haicap.core.task_status import Outcome
from haicap.units.kinds import AgencyKind, Duty, Tier
from haicap.units.models import AdministrativeUnit, Agency, AgencyDuty, UnitLineage

FINANCE = "000.04.00.H40"
PPC_OFFICE = "000.01.00.H40"
AGRICULTURE = "000.07.00.H40"
SPECIALIST, LEADER = "chuyenvien.taisan", "lanhdao.taichinh"
REFORM = dt.date(2025, 7, 1)
ILLUSTRATIVE = "Định mức minh họa của bản demo, không phải tiêu chuẩn, định mức theo quy định"

# (code, name, category)
KINDS = (
    ("office", "Trụ sở làm việc", Category.LAND_BUILDING),
    ("car", "Xe ô tô", Category.VEHICLE),
    ("computer", "Máy vi tính", Category.EQUIPMENT),
    ("scanner", "Máy quét (scan) tài liệu", Category.EQUIPMENT),
    ("printer", "Máy in", Category.EQUIPMENT),
    ("receipt_printer", "Máy in biên nhận", Category.EQUIPMENT),
    ("queue_kiosk", "Ki-ốt lấy số thứ tự", Category.EQUIPMENT),
    ("network", "Thiết bị mạng", Category.EQUIPMENT),
)
# Per one-stop desk, and per office (each agency) of a commune.
DESK_NORMS = {"computer": 2, "scanner": 1, "printer": 1, "receipt_printer": 1, "queue_kiosk": 1}
OFFICE_NORMS = {"computer": 1}
# (kind, name, value in millions of VND, year)
EQUIPMENT_PRICES = {
    "computer": (18, 2021),
    "scanner": (25, 2020),
    "printer": (9, 2021),
    "receipt_printer": (6, 2022),
    "queue_kiosk": (45, 2022),
}

# The six communes of the former Đô Lương district.
DO_LUONG, BACH_NGOC, VAN_HIEN, BACH_HA, THUAN_TRUNG, LUONG_SON = (
    "17662",
    "17623",
    "17677",
    "17707",
    "17689",
    "17641",
)
SIX = (DO_LUONG, BACH_NGOC, VAN_HIEN, BACH_HA, THUAN_TRUNG, LUONG_SON)
# What Lương Sơn's one-stop desk lacks (the inspection's finding): it got no scanner, receipt
# printer or kiosk from the district; one scanner comes by allocation, the rest still lack.
LUONG_SON_LACKS = ("scanner", "receipt_printer", "queue_kiosk")
# The merged commune whose record waits: one of its computers has no destination yet.
WAITING_COMMUNE = "Đà Sơn"


@dataclass(frozen=True)
class LoadedAssets:
    assets: int
    records_signed: int
    records_waiting: int
    disposal_plans: int
    proposals: int


def load_demo_assets(on: dt.date | None = None) -> LoadedAssets | None:
    """Load the demo's assets into a province that has none (None if it has some, or if the
    demo accounts of Finance are not there to sign and approve)."""
    specialist = User.objects.filter(username=SPECIALIST).first()
    leader = User.objects.filter(username=LEADER).first()
    if Asset.objects.exists() or specialist is None or leader is None:
        return None
    on = on or register.today()
    with transaction.atomic():
        AgencyDuty.objects.get_or_create(agency=Agency.objects.get(code=FINANCE), duty=Duty.ASSETS)
        kinds = _kinds()
        _norms(kinds)
        _province_register(kinds, random.Random(2025))  # noqa: S311  (illustrative data)
        story = _DoLuong(specialist, leader, kinds, on)
        story.register()
        signed, waiting = story.hand_over()
        plans = story.surplus_offices()
        proposals = story.allocate()
    return LoadedAssets(Asset.objects.count(), signed, waiting, plans, proposals)


def _kinds() -> dict[str, AssetKind]:
    for code, name, category in KINDS:
        AssetKind.objects.update_or_create(code=code, defaults={"name": name, "category": category})
    return {k.code: k for k in AssetKind.objects.all()}


def _norms(kinds: dict[str, AssetKind]) -> None:
    for per, table in (
        (EquipmentNorm.Per.DESK, DESK_NORMS),
        (EquipmentNorm.Per.OFFICE, OFFICE_NORMS),
    ):
        for code, count in table.items():
            norms.save_norm(None, norms.NormSpec(kinds[code], per, count, ILLUSTRATIVE))


def _commune_agencies() -> dict[int, list[Agency]]:
    found: dict[int, list[Agency]] = {}
    for agency in Agency.objects.filter(unit__tier=Tier.COMMUNE, unit__valid_to=None).order_by(
        "code"
    ):
        found.setdefault(agency.unit_id, []).append(agency)
    return found


def _province_register(kinds: dict[str, AssetKind], rng: random.Random) -> None:
    """Every commune but the six: its office and the equipment its norms ask for, entered on
    1 July 2025 (bulk: one insert of assets, one of their first movements)."""
    code = register.province_code()
    number = asset_sheet.given_number(register.next_identifier(code), code) or 1
    assets: list[Asset] = []
    for agencies in _commune_agencies().values():
        if agencies[0].unit.code in SIX:
            continue
        committee = next(a for a in agencies if a.kind == AgencyKind.COMMUNE_PEOPLES_COMMITTEE)
        items = [(committee, "office", f"Trụ sở Ủy ban nhân dân {committee.unit.full_name}")]
        for agency in agencies:  # a one-stop desk is an office too: both norms apply to it
            wanted = [OFFICE_NORMS, DESK_NORMS] if agency.is_one_stop_desk else [OFFICE_NORMS]
            for table in wanted:
                for kind, count in table.items():
                    items += [(agency, kind, kinds[kind].name)] * count
        for holder, kind, name in items:
            assets.append(_bulk_asset(code, number, kinds[kind], holder, name, rng))
            number += 1
    Asset.objects.bulk_create(assets, batch_size=1000)
    Movement.objects.bulk_create(
        [
            Movement(
                asset=a,
                kind=Movement.Kind.REGISTERED,
                to_agency=a.holder,
                on=REFORM,
                note="Ghi sổ khi sắp xếp đơn vị hành chính (dữ liệu minh họa)",
            )
            for a in assets
        ],
        batch_size=1000,
    )


def _bulk_asset(
    code: str, number: int, kind: AssetKind, holder: Agency, name: str, rng: random.Random
) -> Asset:
    if kind.code == "office":
        value, year = rng.randint(3, 12) * 1_000_000_000, rng.randint(2000, 2018)
        area, address = rng.randint(300, 900), f"Trung tâm {holder.unit.full_name}"
    else:
        millions, year = EQUIPMENT_PRICES.get(kind.code, (15, 2021))
        value, area, address = millions * 1_000_000, None, ""
    return Asset(
        identifier=asset_sheet.given_identifier(code, number),
        kind=kind,
        name=name,
        holder=holder,
        address=address,
        area_m2=area,
        original_value=value,
        remaining_value=value * rng.randint(30, 90) // 100,
        acquired_year=year,
        condition=rng.choice((Condition.GOOD, Condition.GOOD, Condition.FAIR)),
    )


class _DoLuong:
    """The former Đô Lương district's assets, through the services."""

    def __init__(
        self, specialist: User, leader: User, kinds: dict[str, AssetKind], on: dt.date
    ) -> None:
        self.specialist, self.leader, self.kinds, self.on = specialist, leader, kinds, on
        self.district = AdministrativeUnit.objects.get(tier=Tier.DISTRICT, name="Đô Lương")
        self.former = list(AdministrativeUnit.objects.filter(parent=self.district).order_by("pk"))
        successors = dict(
            UnitLineage.objects.filter(predecessor__in=self.former).values_list(
                "predecessor_id", "successor_id"
            )
        )
        self.successor = successors
        self.agencies = {
            a.unit.code: a
            for a in Agency.objects.filter(unit__code__in=SIX).select_related("unit")
            if a.kind == AgencyKind.COMMUNE_PEOPLES_COMMITTEE
        }
        self.desks = {
            a.unit.code: a for a in Agency.objects.filter(unit__code__in=SIX, is_one_stop_desk=True)
        }
        self.by_unit_id = {a.unit_id: a for a in self.agencies.values()}
        # A new commune's seat: the former commune whose name it kept, else its first.
        self.seats: dict[int, int] = {}
        for unit in self.former:
            new = successors.get(unit.pk)
            if new is not None and (new not in self.seats or unit.name == self._name_of(new)):
                self.seats[new] = unit.pk
        self.lines: list[tuple[Asset, Agency | None, str]] = []

    def _name_of(self, unit_id: int) -> str:
        return self.by_unit_id[unit_id].unit.name

    def _enter(
        self, kind: str, name: str, holder: Agency, origin: AdministrativeUnit, **details
    ) -> Asset:
        millions, year = EQUIPMENT_PRICES.get(kind, (15, 2021))
        value = details.pop("value", millions * 1_000_000)
        spec = register.AssetDetails(
            kind=self.kinds[kind],
            name=name,
            original_value=value,
            remaining_value=details.pop("remaining", value // 2),
            acquired_year=details.pop("year", year),
            condition=details.pop("condition", Condition.GOOD),
            **details,
        )
        return register.register_asset(
            self.specialist, register.NewAsset(spec, holder, origin), on=REFORM
        )

    def register(self) -> None:
        """What the district and its 32 former communes held on 30 June 2025, each in the
        custody of the new commune it lies in until the take-over records say where it goes."""
        district, agency = self.district, self.agencies
        do_luong = agency[DO_LUONG]
        province_office = Agency.objects.get(code=PPC_OFFICE)
        agriculture = Agency.objects.get(code=AGRICULTURE)
        land = dict(value=14_500_000_000, year=2009, area=Decimal(1850))
        district_items = [
            ("office", "Trụ sở HĐND và UBND huyện Đô Lương", do_luong, do_luong, land),
            (
                "office",
                "Trụ sở Văn phòng đăng ký đất đai chi nhánh Đô Lương",
                do_luong,
                agriculture,
                dict(value=3_200_000_000, year=2012, area=Decimal(420)),
            ),
            ("car", "Xe ô tô 7 chỗ 37A-000.12", do_luong, province_office, dict(value=850_000_000)),
            ("car", "Xe ô tô 5 chỗ 37A-000.45", do_luong, None, dict(value=620_000_000, year=2012)),
        ]
        # The district's one-stop desk: its equipment goes to the communes' desks, though not
        # enough of it for Lương Sơn, which the inspection found lacking.
        for commune in SIX:
            for kind in DESK_NORMS:
                if commune == LUONG_SON and kind in LUONG_SON_LACKS:
                    continue
                for _ in range(DESK_NORMS[kind]):
                    district_items.append(
                        (kind, self.kinds[kind].name, do_luong, self.desks[commune], {})
                    )
        # and a computer to each of the communes' other offices, as their norm asks
        offices = Agency.objects.filter(unit__code__in=SIX, is_one_stop_desk=False).exclude(
            kind=AgencyKind.COMMUNE_PEOPLES_COMMITTEE
        )
        for office in offices.order_by("code"):
            district_items.append(("computer", self.kinds["computer"].name, do_luong, office, {}))
        for kind, name, holder, destination, details in district_items:
            details = dict(details)
            if "area" in details:
                details["area_m2"] = details.pop("area")
                details["address"] = "Thị trấn Đô Lương (cũ)"
            asset = self._enter(kind, name, holder, district, **details)
            self.lines.append((asset, destination, "" if destination else Disposal.SALE))
        # Each former commune: its office and a computer; the seat of a new commune stays its
        # office, the others become surplus.
        for unit in self.former:
            new = self.successor.get(unit.pk)
            if new is None:
                continue
            holder = self.by_unit_id[new]
            seat = self.seats.get(new) == unit.pk
            poor = holder.unit.code == BACH_NGOC  # the inspection: cramped, run-down offices
            office = self._enter(
                "office",
                f"Trụ sở UBND {unit.full_name} (cũ)",
                holder,
                unit,
                value=2_000_000_000 + 100_000_000 * (unit.pk % 9),
                remaining=900_000_000,
                year=2005 + unit.pk % 12,
                address=f"{unit.full_name} cũ, nay thuộc {holder.unit.full_name}",
                area_m2=Decimal(180 if poor and seat else 320),
                condition=Condition.POOR if poor else Condition.FAIR,
            )
            self.lines.append((office, holder, ""))
            computer = self._enter("computer", f"Máy vi tính của {unit.full_name}", holder, unit)
            waiting = unit.name == WAITING_COMMUNE
            self.lines.append((computer, None if waiting else holder, ""))

    def hand_over(self) -> tuple[int, int]:
        """Open every record, set each asset's destination, sign all but one: the record of
        xã Đà Sơn is refused for its computer with no destination, and waits."""
        signed = waiting = 0
        where = {asset.pk: (destination, disposal) for asset, destination, disposal in self.lines}
        day = REFORM + dt.timedelta(days=14)
        for number, unit in enumerate([self.district, *self.former], start=1):
            record = takeover.open_record(self.specialist, unit)
            for line in record.lines.select_related("asset"):
                destination, how = where[line.asset_id]
                if destination is not None or how:
                    takeover.set_destination(
                        self.specialist, line, destination=destination, disposal=how
                    )
            takeover.describe_parties(
                self.specialist,
                record,
                handed_by=f"Đại diện {unit.full_name} (cũ)",
                received_by="Đại diện các đơn vị nhận bàn giao",
            )
            try:
                takeover.sign(self.leader, record, on=day, number=f"{number:02d}/BB-STC")
                signed += 1
            except takeover.AssetsWithoutDestination:
                waiting += 1  # shown on the record's page, as the leader was refused
        return signed, waiting

    def surplus_offices(self) -> int:
        """The former communes' offices that are no longer a commune's seat are surplus: each
        has a disposal plan, some under way, one done, one overdue."""
        offices = (
            Asset.objects.filter(kind__code="office", origin__in=self.former)
            .exclude(origin_id__in=self.seats.values())
            .select_related("holder", "origin")
            .order_by("identifier")
        )
        methods = (Disposal.REUSE, Disposal.TRANSFER, Disposal.SALE, Disposal.DEMOLITION)
        made = 0
        for index, office in enumerate(offices):
            register.mark_surplus(self.specialist, office)
            method = methods[index % len(methods)]
            deadline = dt.date(2026, 3, 31) + dt.timedelta(days=61 * (index % 6))
            plan = disposal.create_plan(
                self.specialist,
                office,
                method=method,
                deadline=deadline,
                responsible=office.holder,
                decision=f"{100 + index}/QĐ-UBND",
            )
            made += 1
            if index % 3 == 0:
                disposal.post_progress(
                    self.specialist,
                    plan,
                    text="Đã kiểm kê hiện trạng, lập phương án trình cấp có thẩm quyền.",
                    on=min(self.on, deadline - dt.timedelta(days=20)),
                )
            if index == 0 and deadline < self.on:
                disposal.close_plan(self.specialist, plan, outcome=Outcome.ACHIEVED, on=deadline)
        return made

    def allocate(self) -> int:
        """Scanners and kiosks left over at the province after other districts' hand-overs
        are surplus: Finance proposes them to the communes lacking them, nearest first, and
        its leader approves the scanner for Lương Sơn."""
        finance = Agency.objects.get(code=FINANCE)
        for kind in ("scanner", "queue_kiosk"):
            asset = self._enter(
                kind, f"{self.kinds[kind].name} (dôi dư sau sắp xếp)", finance, self.district
            )
            register.mark_surplus(self.specialist, asset)
        proposals = allocation.propose(self.specialist, 180)
        for proposal in proposals:
            if proposal.asset.kind.code == "scanner" and proposal.to_agency.unit.code == LUONG_SON:
                allocation.approve(self.leader, proposal, "215/QĐ-STC", self.on)
        return AllocationProposal.objects.count()
