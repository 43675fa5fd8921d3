"""The demo province's staff: fields, norms, a travel table, officers in every commune and in
five provincial departments, with the six communes of the former Đô Lương district short of
land, construction, health, education and IT officers, as working group no. 4's inspection
found; a few mountain communes short too, too far from any officer to spare for the plan to
cover them; and two officers at every commune's one-stop desk, a few of them there for (almost)
the 36 months after which they must be rotated.

Everything here is ILLUSTRATIVE and says so where an officer reads it:
- the norms are haicap's example rules, not a legal staffing norm (the province sets its own);
- the travel times are estimated from the straight-line distance between the seats of the
  former districts (× 1.3 for the road, at 40 km/h, plus 15 minutes; 20 minutes within one),
  each commune placed in a former district by its item in the resolution, not measured;
- the officers are invented names; their numbers follow each commune's norm, so the table
  shows the shortages the demo means to show and few others.
"""

import csv
import datetime as dt
import math
import random
from dataclasses import dataclass

from django.db import transaction

from haicap.accounts.models import User
from haicap.catalog.models import Field
from haicap.staffing.effect import apply_secondments
from haicap.staffing.models import (
    NormRule,
    Officer,
    Position,
    SecondmentPlan,
    StaffField,
)
from haicap.staffing.norms import Basis
from haicap.staffing.services import plans
from haicap.staffing.standings import province_standings, today
from haicap.units.demo import CODE_LIST, UNIT_LIST
from haicap.units.kinds import AgencyKind, Duty, Tier
from haicap.units.models import AdministrativeUnit, Agency, AgencyDuty, TravelTime

HOME_AFFAIRS = "000.03.00.H40"
ILLUSTRATIVE = "Định mức minh họa của bản demo, không phải định mức biên chế theo quy định"

# The one-stop desk's own work (receiving dossiers and returning results), done by the officers
# posted at the commune's Public Administration Service Centre.
DESK = "MOTCUA"

# (code, name, catalogue field, office of a commune that does the work, priority weight)
FIELDS = (
    ("DATDAI", "Đất đai", "DATDAI", AgencyKind.ECONOMIC_OFFICE, 3),
    ("XAYDUNG", "Xây dựng", "XAYDUNG", AgencyKind.ECONOMIC_OFFICE, 2),
    ("YTE", "Y tế", "YTE", AgencyKind.CULTURE_SOCIAL_OFFICE, 2),
    ("GIAODUC", "Giáo dục và đào tạo", "GIAODUC", AgencyKind.CULTURE_SOCIAL_OFFICE, 2),
    ("CNTT", "Công nghệ thông tin", None, AgencyKind.COUNCIL_COMMITTEE_OFFICE, 1),
    ("HOTICH", "Tư pháp – hộ tịch", "HOTICH", AgencyKind.COUNCIL_COMMITTEE_OFFICE, 1),
    ("NONGNGHIEP", "Nông nghiệp và môi trường", "NONGNGHIEP", AgencyKind.ECONOMIC_OFFICE, 1),
    ("VANHOA", "Văn hóa – xã hội", "VANHOA", AgencyKind.CULTURE_SOCIAL_OFFICE, 1),
    (DESK, "Tiếp nhận và trả kết quả (Một cửa)", None, AgencyKind.COMMUNE_SERVICE_CENTER, 1),
)

# (field, basis, fixed count, dossiers one officer handles a month, at least)
NORMS = (
    ("DATDAI", Basis.WORKLOAD, 0, 40, 2),
    ("XAYDUNG", Basis.WORKLOAD, 0, 30, 1),
    ("YTE", Basis.FIXED, 1, 0, 0),
    ("GIAODUC", Basis.FIXED, 1, 0, 0),
    ("CNTT", Basis.FIXED, 1, 0, 0),
    ("HOTICH", Basis.WORKLOAD, 0, 60, 1),
    ("NONGNGHIEP", Basis.FIXED, 1, 0, 0),
    ("VANHOA", Basis.FIXED, 1, 0, 0),
    (DESK, Basis.FIXED, 2, 0, 0),
)

# Provincial departments with officers to spare: (agency, field, officers kept, officers).
DEPARTMENTS = (
    ("000.07.00.H40", "DATDAI", 8, 12),
    ("000.08.00.H40", "XAYDUNG", 6, 9),
    ("000.11.00.H40", "YTE", 5, 8),
    ("000.10.00.H40", "GIAODUC", 5, 8),
    ("000.12.00.H40", "CNTT", 4, 7),
)

# The six communes of the former Đô Lương district: the field each lacks entirely (the
# inspection's findings), and land, short everywhere there (one officer where two are needed).
SHORT = {
    "17662": ("XAYDUNG",),
    "17623": ("CNTT",),
    "17677": (),
    "17707": (),
    "17689": ("YTE",),
    "17641": ("GIAODUC",),
}
DO_LUONG = "Đô Lương"
# Mountain communes short of a field or two, far from every commune or department with an
# officer to spare (the nearest over the plan's two hours by the illustrative table), so the
# approved plan leaves them short: the gap table's "only communes short" lists them. (Con Cuông
# is left out: Anh Sơn's spare officers are an hour away.)
REMOTE_SHORT = {
    "16813": ("DATDAI", "YTE"),  # xã Mường Xén (Kỳ Sơn)
    "16870": ("GIAODUC",),  # xã Na Ngoi (Kỳ Sơn)
    "16882": ("CNTT", "YTE"),  # xã Nhôn Mai (Tương Dương)
    "16933": ("XAYDUNG",),  # xã Tam Quang (Tương Dương)
    "16744": ("DATDAI",),  # xã Thông Thụ (Quế Phong)
}
# Former districts around Đô Lương whose communes have an officer to spare in some fields.
NEIGHBOURS = ("Thanh Chương", "Nam Đàn", "Yên Thành", "Anh Sơn", "Tân Kỳ")

# Seats of the former districts (latitude, longitude), for the illustrative travel table.
SEATS = {
    "Vinh": (18.67, 105.68),
    "Thái Hòa": (19.32, 105.44),
    "Hoàng Mai": (19.25, 105.72),
    "Anh Sơn": (18.93, 105.08),
    "Con Cuông": (19.05, 104.88),
    "Diễn Châu": (18.98, 105.59),
    "Đô Lương": (18.90, 105.31),
    "Hưng Nguyên": (18.67, 105.63),
    "Kỳ Sơn": (19.40, 104.15),
    "Nam Đàn": (18.70, 105.50),
    "Nghi Lộc": (18.82, 105.62),
    "Nghĩa Đàn": (19.36, 105.40),
    "Quế Phong": (19.63, 104.92),
    "Quỳ Châu": (19.55, 105.10),
    "Quỳ Hợp": (19.32, 105.18),
    "Quỳnh Lưu": (19.15, 105.63),
    "Tân Kỳ": (19.05, 105.28),
    "Thanh Chương": (18.78, 105.33),
    "Tương Dương": (19.27, 104.45),
    "Yên Thành": (19.00, 105.46),
}

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ")
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thanh", "Hữu", "Ngọc", "Quang", "Thu", "Xuân")
GIVEN = (
    "An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Lan",
    "Linh", "Long", "Mai", "Nam", "Nga", "Phong", "Phúc", "Quân", "Sơn", "Tâm", "Thảo",
    "Thắng", "Trang", "Trung", "Tuấn", "Vân", "Việt", "Yến",
)  # fmt: skip


@dataclass(frozen=True)
class LoadedStaff:
    officers: int
    positions: int
    travel_pairs: int


@dataclass(frozen=True)
class LoadedPlan:
    secondments: int
    from_departments: int
    gap_left: int
    granted: int  # roles granted at the hosts today


def load_demo_staff(on: dt.date | None = None) -> LoadedStaff | None:
    """Load the demo's staff into a province that has none (None if it has some)."""
    if Officer.objects.exists():
        return None
    on = on or today()
    with transaction.atomic():
        authority = Agency.objects.get(code=HOME_AFFAIRS)
        AgencyDuty.objects.get_or_create(agency=authority, duty=Duty.STAFFING)
        _fields()
        _norms()
        pairs = _travel_table()
        # The norms of the workload fields follow each commune's dossiers: read them as the
        # gap table will, before anyone is posted, then post officers to match.
        needed = {key: s.norm for key, s in province_standings(on).cells.items()}
        made = _Staff(random.Random(2025))  # noqa: S311  (illustrative names, not secrets)
        _commune_staff(made, needed, on)
        _department_staff(made)
        made.save()
        _link_demo_account()
    return LoadedStaff(len(made.officers), Position.objects.count(), pairs)


# The demo account of a land officer of the Department of Agriculture and Environment, whom
# the demo plan seconds to a commune: the officer the account is linked to.
SECONDED_ACCOUNT, SECONDED_FROM = "canbo.diachinh", "000.07.00.H40"


def _link_demo_account() -> None:
    user = User.objects.filter(username=SECONDED_ACCOUNT).first()
    if user is None:
        return  # loaded without the demo accounts
    officer = (
        Officer.objects.filter(agency__code=SECONDED_FROM, position__field__code="DATDAI")
        .order_by("pk")
        .first()
    )
    officer.user, officer.full_name = user, user.full_name
    officer.experience_years = 12
    officer.save(update_fields=["user", "full_name", "experience_years"])


def _fields() -> None:
    catalogue = {f.code: f for f in Field.objects.all()}
    for code, name, catalogue_code, office, weight in FIELDS:
        StaffField.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "catalog_field": catalogue.get(catalogue_code) if catalogue_code else None,
                "host_agency_kind": office,
                "weight": weight,
            },
        )


def _norms() -> None:
    fields = {f.code: f for f in StaffField.objects.all()}
    for code, basis, count, per_officer, minimum in NORMS:
        NormRule.objects.update_or_create(
            field=fields[code],
            unit=None,
            agency=None,
            defaults={
                "basis": basis,
                "count": count,
                "dossiers_per_officer_month": per_officer,
                "minimum": minimum,
                "note": ILLUSTRATIVE,
            },
        )
    for agency_code, code, kept, _officers in DEPARTMENTS:
        NormRule.objects.update_or_create(
            field=fields[code],
            agency=Agency.objects.get(code=agency_code),
            unit=None,
            defaults={"basis": Basis.FIXED, "count": kept, "note": ILLUSTRATIVE},
        )


# The resolution lists the new communes former district by former district; these items are
# ones whose district is plain from their name or their former town ("thị trấn Nam Đàn"). Every
# other item is placed with the nearest of them in the list: an estimate, right for most.
ANCHORS = (
    (1, "Anh Sơn"), (4, "Anh Sơn"), (7, "Con Cuông"), (12, "Diễn Châu"), (20, "Đô Lương"),
    (25, "Đô Lương"), (26, "Hưng Nguyên"), (28, "Hưng Nguyên"), (33, "Kỳ Sơn"), (38, "Nam Đàn"),
    (39, "Nam Đàn"), (42, "Nghĩa Đàn"), (49, "Nghi Lộc"), (57, "Quế Phong"), (61, "Quỳ Châu"),
    (64, "Quỳ Hợp"), (71, "Quỳnh Lưu"), (78, "Tân Kỳ"), (88, "Thanh Chương"),
    (99, "Tương Dương"), (102, "Yên Thành"), (111, "Hoàng Mai"), (114, "Thái Hòa"),
    (116, "Vinh"), (130, "Vinh"),
)  # fmt: skip


def former_districts() -> dict[str, str]:
    """Each current commune's former district (its code → a key of ``SEATS``), estimated from
    its item in the resolution (``ANCHORS``)."""
    with UNIT_LIST.open(encoding="utf-8") as units, CODE_LIST.open(encoding="utf-8") as codes:
        code_of = {(row["kind"], row["name"]): row["code"] for row in csv.DictReader(codes)}
        items = {
            int(row["item"]): code_of.get((row["kind"], row["name"]))
            for row in csv.DictReader(units)
        }
    return {
        code: min(ANCHORS, key=lambda anchor: abs(anchor[0] - item))[1]
        for item, code in items.items()
        if code
    }


def _minutes(one: str, other: str) -> int:
    if one == other:
        return 20  # two communes of one former district
    (lat1, lon1), (lat2, lon2) = SEATS[one], SEATS[other]
    km = 111 * math.hypot(lat1 - lat2, (lon1 - lon2) * math.cos(math.radians(lat1)))
    return round(km * 1.3 / 40 * 60 + 15)


def _travel_table() -> int:
    """Minutes between every two current communes and from the province's seat (Vinh)."""
    districts = former_districts()
    units = AdministrativeUnit.objects.filter(tier=Tier.COMMUNE, valid_to=None)
    places = {u.pk: districts[u.code] for u in units if u.code in districts}
    province = AdministrativeUnit.objects.get(tier=Tier.PROVINCE, valid_to=None)
    places[province.pk] = "Vinh"  # the provincial departments' seat
    ids = sorted(places)
    rows = [
        TravelTime(one_id=a, other_id=b, minutes=_minutes(places[a], places[b]))
        for i, a in enumerate(ids)
        for b in ids[i + 1 :]
    ]
    TravelTime.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    return len(rows)


class _Staff:
    """Officers and positions made in memory, then written in a few bulk statements."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.fields = {f.code: f for f in StaffField.objects.all()}
        self.positions: dict[tuple[int, str], Position] = {}
        self.officers: list[tuple[Officer, tuple[str, ...]]] = []

    def post(
        self,
        agency: Agency,
        code: str,
        count: int,
        approved: int,
        desk_from: list[dt.date] | None = None,
    ) -> None:
        """``count`` officers in ``agency``'s post of field ``code``; at a one-stop desk, each
        posted there from its day of ``desk_from``."""
        position = self.positions.get((agency.pk, code))
        if position is None:
            position = Position(
                agency=agency, field=self.fields[code], grade="Chuyên viên", approved=approved
            )
            self.positions[(agency.pk, code)] = position
        for index in range(count):
            self._officer(agency, position, code, desk_from[index] if desk_from else None)

    def _officer(
        self, agency: Agency, position: Position, code: str, desk_from: dt.date | None
    ) -> None:
        rng = self.rng
        number = len(self.officers) + 1
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        others = [c for c in self.fields if c not in (code, DESK)]
        # desk staff receive and return dossiers of every field: they are qualified for that
        spare = desk_from is None and rng.random() < 0.3
        qualified = (code, rng.choice(others)) if spare else (code,)
        officer = Officer(
            staff_number=f"NA-{number:05d}",
            full_name=name,
            agency=agency,
            position=position,
            grade=rng.choice(("Chuyên viên", "Chuyên viên", "Chuyên viên chính", "Cán sự")),
            experience_years=rng.randint(1, 25),
            in_post_since=desk_from
            or dt.date(2025, 7, 1) - dt.timedelta(days=rng.randint(0, 3000)),
            desk_posting_from=desk_from,
        )
        self.officers.append((officer, qualified))

    def save(self) -> None:
        positions = list(self.positions.values())
        Position.objects.bulk_create(positions, batch_size=1000)
        for officer, _ in self.officers:
            officer.position = officer.position  # assigned again: takes the id the insert gave
        Officer.objects.bulk_create([o for o, _ in self.officers], batch_size=1000)
        through = Officer.qualifications.through
        links = [
            through(officer_id=o.pk, stafffield_id=self.fields[code].pk)
            for o, codes in self.officers
            for code in codes
        ]
        through.objects.bulk_create(links, batch_size=2000)


def _commune_staff(made: _Staff, needed: dict[tuple[int, str], int], on: dt.date) -> None:
    districts = former_districts()
    offices = {
        (a.unit_id, a.kind): a
        for a in Agency.objects.filter(unit__tier=Tier.COMMUNE, unit__valid_to=None)
    }
    communes = AdministrativeUnit.objects.filter(tier=Tier.COMMUNE, valid_to=None).order_by("code")
    for number, unit in enumerate(communes):
        district = districts.get(unit.code, "")
        for code, _name, _catalogue, office, _weight in FIELDS:
            norm = needed.get((unit.pk, code), 0)
            count = norm
            agency = (
                offices.get((unit.pk, office))
                or offices[(unit.pk, AgencyKind.COMMUNE_PEOPLES_COMMITTEE)]
            )
            if code == DESK:
                desk_from = _desk_postings(made.rng, number, norm, on)
                made.post(agency, code, norm, approved=norm, desk_from=desk_from)
                continue
            if unit.code in SHORT:
                if code in SHORT[unit.code]:
                    count = 0
                elif code == "DATDAI":
                    count = min(norm, 1)
            elif code in REMOTE_SHORT.get(unit.code, ()):
                count = max(norm - 1, 0)
            elif district in NEIGHBOURS and made.rng.random() < 0.35:
                count = norm + 1  # a better-staffed commune nearby
            made.post(agency, code, count, approved=max(norm, count))


# Of every ROTATION_EVERY communes (by code), the first's longest-serving desk officer is past
# the 36-month limit and the middle one's reaches it within the warning window; the others'
# postings are younger than 30 months.
ROTATION_EVERY = 25


def _desk_postings(rng: random.Random, number: int, count: int, on: dt.date) -> list[dt.date]:
    """The days the ``count`` desk officers of the ``number``-th commune were posted there."""
    days = [on - dt.timedelta(days=rng.randint(30, 900)) for _ in range(count)]
    if days and number % ROTATION_EVERY == 0:
        days[0] = _years_before(on, 3) - dt.timedelta(days=45)  # 36 months 45 days ago
    elif days and number % ROTATION_EVERY == ROTATION_EVERY // 2:
        days[0] = _years_before(on, 3) + dt.timedelta(days=12)  # 36 months in 12 days
    return days


def _years_before(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier (28 February for a 29th with no leap year then)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _department_staff(made: _Staff) -> None:
    for agency_code, code, _kept, officers in DEPARTMENTS:
        agency = Agency.objects.get(code=agency_code)
        made.post(agency, code, officers, approved=officers)


# The plan Home Affairs drew up after the inspection: started a week before the demo's day, for
# six months, with travel up to two hours (the departments sit in Vinh, about 1 h 45 from Đô
# Lương by the illustrative table) and at most three officers from one agency.
PLAN_TITLE = "Biệt phái công chức hỗ trợ các xã thuộc huyện Đô Lương (cũ)"
PLAN_MONTHS, PLAN_TRAVEL, PLAN_PER_AGENCY = 6, 120, 3
DRAFTER, APPROVER = "chuyenvien.sonoivu", "lanhdao.sonoivu"


def load_demo_plan(on: dt.date | None = None) -> LoadedPlan | None:
    """Solve, edit and approve the demo's secondment plan, then give the seconded officers'
    accounts their roles at the hosts, as the worker does each night. None if a plan exists or
    the demo accounts are not loaded."""
    drafter = User.objects.filter(username=DRAFTER).first()
    approver = User.objects.filter(username=APPROVER).first()
    if SecondmentPlan.objects.exists() or drafter is None or approver is None:
        return None
    on = on or today()
    with transaction.atomic():
        plan = plans.request_plan(
            drafter,
            PLAN_TITLE,
            on - dt.timedelta(days=7),
            PLAN_MONTHS,
            PLAN_TRAVEL,
            PLAN_PER_AGENCY,
        )
        _second_the_demo_account(drafter, plan)
        changes = {
            secondment.pk: plans.SecondmentChange(decision_number=f"{number}/QĐ-SNV")
            for number, secondment in enumerate(plan.secondments.order_by("pk"), start=215)
        }
        plans.save_secondments(drafter, plan, changes)
        plans.approve(approver, plan)
    done = apply_secondments(on)
    made = plan.secondments.all()
    return LoadedPlan(
        secondments=made.count(),
        from_departments=made.filter(from_agency__unit__tier=Tier.PROVINCE).count(),
        gap_left=sum(gap for _unit, _field, gap in plan.uncovered),
        granted=len(done.granted),
    )


def _second_the_demo_account(drafter: User, plan: SecondmentPlan) -> None:
    """Home Affairs puts the land officer who has a demo account in the plan, in place of the
    solver's proposal for one commune short of land officers (an edit any draft allows), so the
    demo shows a seconded officer at work in the host commune."""
    officer = Officer.objects.get(user__username=SECONDED_ACCOUNT)
    if plan.secondments.filter(officer=officer).exists():
        return
    land = plan.secondments.filter(field__code="DATDAI").order_by("-travel_minutes", "pk").first()
    if land is None:
        return
    commune = land.to_agency.unit
    plans.remove_secondment(drafter, plan, land)
    plans.add_secondment(drafter, plan, plans.Addition(officer, commune, land.field))
