"""Writes to the registry: loading a province's units and lineage, and its standard agencies.

Loading is idempotent: a unit, link or agency that is already there as described is left
alone, so running an import twice changes nothing and writes no audit record.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from haicap.core.audit import changed_fields, record_change, record_save, snapshot
from haicap.core.text import search_key
from haicap.units import unit_list
from haicap.units.changes import AgencyMoved, agencies_moved
from haicap.units.kinds import (
    ONE_STOP_DESK_KINDS,
    UNIT_KIND_BY_PREFIX,
    UNIT_KIND_PREFIX,
    UNIT_KIND_TIER,
    AgencyKind,
    UnitKind,
)
from haicap.units.models import AdministrativeUnit, Agency, UnitLineage

REFORM_DATE = dt.date(2025, 7, 1)
LAST_DAY_BEFORE_REFORM = REFORM_DATE - dt.timedelta(days=1)


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    links_created: int = 0
    agencies_created: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        return bool(self.created or self.updated or self.links_created or self.agencies_created)


@dataclass(frozen=True)
class ProvinceSpec:
    code: str  # 2 digits, Decision 19/2025/QĐ-TTg
    name: str
    legal_basis: str
    former_districts: tuple[tuple[str, str], ...] = ()  # (kind word, name)
    # Former district (name) -> the items of the unit list formed from it, where a source says so.
    district_items: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _upsert_unit(
    report: ImportReport,
    import_key: str,
    *,
    name: str,
    kind: UnitKind,
    parent: AdministrativeUnit | None,
    code: str | None = None,
    postcode: str = "",
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> AdministrativeUnit:
    wanted = {
        "name": name,
        "search_name": search_key(f"{UNIT_KIND_PREFIX[kind]} {name}"),
        "kind": kind,
        "tier": UNIT_KIND_TIER[kind],
        "parent_id": parent.pk if parent else None,
        "code": code,
        "postcode": postcode,
        "valid_from": valid_from,
        "valid_to": valid_to,
    }
    unit = AdministrativeUnit.objects.filter(import_key=import_key).first()
    if unit is None:
        unit = AdministrativeUnit(import_key=import_key, path="", **wanted)
        unit.save()
        unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
        unit.save(update_fields=["path"])
        record_change("unit.created", unit, after=snapshot(unit))
        report.created += 1
        return unit
    before = snapshot(unit)
    for attr, value in wanted.items():
        setattr(unit, attr, value)
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    after = snapshot(unit)
    diff = changed_fields(before, after)
    if diff:
        unit.save()
        record_change("unit.updated", unit, before={k: before[k] for k in diff}, after=diff)
        report.updated += 1
    else:
        report.unchanged += 1
    return unit


def _link(
    report: ImportReport,
    predecessor: AdministrativeUnit,
    successor: AdministrativeUnit,
    basis: str,
) -> None:
    link, created = UnitLineage.objects.get_or_create(
        predecessor=predecessor,
        successor=successor,
        defaults={"effective_date": REFORM_DATE, "legal_basis": basis},
    )
    if created:
        record_change("lineage.linked", link, after=snapshot(link))
        report.links_created += 1


def import_province(
    spec: ProvinceSpec,
    new_units: Iterable[unit_list.NewUnit],
    codes: dict[tuple[str, str], unit_list.UnitCode] | None = None,
) -> ImportReport:
    """Load a province, its current commune-level units, the former units and the lineage."""
    codes = codes or {}
    report = ImportReport()
    new_units = list(new_units)
    with transaction.atomic():
        province = _upsert_unit(
            report,
            f"{spec.code}|tỉnh {spec.name}",
            name=spec.name,
            kind=UnitKind.PROVINCE,
            parent=None,
            code=spec.code,
        )
        districts = {
            name: _upsert_unit(
                report,
                f"{spec.code}|{kind_word} {name}",
                name=name,
                kind=UNIT_KIND_BY_PREFIX[kind_word],
                parent=province,
                valid_to=LAST_DAY_BEFORE_REFORM,
            )
            for kind_word, name in spec.former_districts
        }
        district_of_item = {
            item: name for name, items in spec.district_items.items() for item in items
        }
        for new in new_units:
            official = codes.get((new.kind, new.name))
            if official is None:
                report.notes.append(f"no official code for {new.label}")
            current = _upsert_unit(
                report,
                f"{spec.code}|{new.label}",
                name=new.name,
                kind=UNIT_KIND_BY_PREFIX[new.kind],
                parent=province,
                code=official.code if official else None,
                postcode=official.postcode if official else "",
                valid_from=REFORM_DATE,
            )
            known_district = district_of_item.get(new.item)
            for former in new.formed_from:
                district_name = former.district or known_district
                parent = districts.get(district_name, province) if district_name else province
                former_unit = _upsert_unit(
                    report,
                    f"{spec.code}|{former.label} > {new.label}",
                    name=former.name,
                    kind=UNIT_KIND_BY_PREFIX[former.kind],
                    parent=parent,
                    valid_to=LAST_DAY_BEFORE_REFORM,
                )
                _link(report, former_unit, current, spec.legal_basis)
            if known_district in districts:
                _link(report, districts[known_district], current, spec.legal_basis)
        report.agencies_created += _ensure_standard_agencies(spec, province)
    return report


# The provincial bodies every province has (Decree 150/2025 for communes; the departments
# that sit on the province's working groups, plus the other usual ones).
PROVINCIAL_AGENCIES: tuple[tuple[str, AgencyKind, str], ...] = (
    ("00", AgencyKind.PROVINCIAL_PEOPLES_COMMITTEE, "Ủy ban nhân dân tỉnh {province}"),
    ("01", AgencyKind.PPC_OFFICE, "Văn phòng Ủy ban nhân dân tỉnh {province}"),
    (
        "02",
        AgencyKind.PROVINCIAL_SERVICE_CENTER,
        "Trung tâm Phục vụ hành chính công tỉnh {province}",
    ),
    ("03", AgencyKind.DEPARTMENT, "Sở Nội vụ"),
    ("04", AgencyKind.DEPARTMENT, "Sở Tài chính"),
    ("05", AgencyKind.DEPARTMENT, "Sở Tư pháp"),
    ("06", AgencyKind.DEPARTMENT, "Sở Công Thương"),
    ("07", AgencyKind.DEPARTMENT, "Sở Nông nghiệp và Môi trường"),
    ("08", AgencyKind.DEPARTMENT, "Sở Xây dựng"),
    ("09", AgencyKind.DEPARTMENT, "Sở Dân tộc và Tôn giáo"),
    ("10", AgencyKind.DEPARTMENT, "Sở Giáo dục và Đào tạo"),
    ("11", AgencyKind.DEPARTMENT, "Sở Y tế"),
    ("12", AgencyKind.DEPARTMENT, "Sở Khoa học và Công nghệ"),
    ("13", AgencyKind.DEPARTMENT, "Sở Văn hóa, Thể thao và Du lịch"),
    ("14", AgencyKind.DEPARTMENT, "Thanh tra tỉnh"),
)
COMMUNE_AGENCIES: tuple[tuple[str, AgencyKind, str], ...] = (
    ("01", AgencyKind.COMMUNE_PEOPLES_COMMITTEE, "Ủy ban nhân dân {unit}"),
    (
        "02",
        AgencyKind.COUNCIL_COMMITTEE_OFFICE,
        "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân {unit}",
    ),
    ("03", AgencyKind.ECONOMIC_OFFICE, "Phòng Kinh tế {unit}"),
    ("04", AgencyKind.CULTURE_SOCIAL_OFFICE, "Phòng Văn hóa - Xã hội {unit}"),
    ("05", AgencyKind.COMMUNE_SERVICE_CENTER, "Trung tâm Phục vụ hành chính công {unit}"),
)


def provincial_agency_code(province_code: str, number: str) -> str:
    """Illustrative e-ID-shaped code (the real ones are issued under Decision 20/2020/QĐ-TTg)."""
    return f"000.{number}.00.H{province_code}"


def commune_agency_code(province_code: str, unit: AdministrativeUnit, number: str) -> str:
    return f"{unit.code or unit.pk:0>5}.{number}.H{province_code}"


def _ensure_agency(
    code: str,
    name: str,
    kind: AgencyKind,
    unit: AdministrativeUnit,
    find_by: dict[str, object] | None = None,
) -> int:
    """Create the agency unless it exists; ``find_by`` (default: the code) says how to find it.

    A commune's offices are found by unit and kind, so a code that changes later (an official
    commune code added on a second import) never creates a second set of offices.
    """
    agency, created = Agency.objects.get_or_create(
        **(find_by or {"code": code}),
        defaults={
            "code": code,
            "name": name,
            "search_name": search_key(name),
            "kind": kind,
            "unit": unit,
            "is_one_stop_desk": kind in ONE_STOP_DESK_KINDS,
        },
    )
    if created:
        record_change("agency.created", agency, after=snapshot(agency))
    return int(created)


def _ensure_standard_agencies(spec: ProvinceSpec, province: AdministrativeUnit) -> int:
    created = 0
    for number, kind, template in PROVINCIAL_AGENCIES:
        code = provincial_agency_code(spec.code, number)
        created += _ensure_agency(code, template.format(province=spec.name), kind, province)
    communes = AdministrativeUnit.objects.filter(parent=province, tier="commune", valid_to=None)
    for unit in communes.order_by("code", "pk"):
        for number, kind, template in COMMUNE_AGENCIES:
            code = commune_agency_code(spec.code, unit, number)
            name = template.format(unit=unit.full_name)
            created += _ensure_agency(code, name, kind, unit, find_by={"unit": unit, "kind": kind})
    return created


def save_agency(agency: Agency, *, actor: Any, created: bool) -> None:
    """Save an agency edited by hand (the admin, whose permissions gate it): audited, and an
    agency moved to another unit is published (its figures follow it), in one transaction."""
    agency.search_name = search_key(agency.name)
    with transaction.atomic():
        # Locked: a second editor waits, then sees this one's unit as the one it moves from.
        old = None if created else Agency.objects.select_for_update().get(pk=agency.pk)
        agency.save()
        record_save(agency, snapshot(old) if old else None, actor=actor)
        if old is not None and old.unit_id != agency.unit_id:
            agencies_moved.publish(AgencyMoved(agency_id=agency.pk, unit_id=agency.unit_id))
