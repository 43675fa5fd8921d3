"""The pages of who works where, for the test that reads every page in both languages
(``tests/test_translations.py``): Home Affairs as the staffing authority, two positions, an
officer on a one-stop desk and one who is not, and a norm."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from haicap.accounts.models import Membership, User
from haicap.catalog.models import Field
from haicap.core.roles import Role
from haicap.staffing import services
from haicap.staffing.models import NormRule, Officer, Position, StaffField
from haicap.staffing.norms import Basis
from haicap.staffing.staff_sheet import COLUMNS, TITLES, Kind
from haicap.units.kinds import Duty
from haicap.units.models import Agency, AgencyDuty
from tests.staffing import sheets

ARRANGER = "chuyenvien.sonoivu"  # a specialist of the Department of Home Affairs
HOME_AFFAIRS = "000.03.00.H40"
STAFF = "/desk/nhan-su/"

NOT_PAGES = {
    "desk:staffing:officer_remove": "POST only (its answer is the officer list or page)",
    "desk:staffing:position_remove": "POST only (its answer is the position list)",
    "desk:staffing:norm_remove": "POST only (its answer is the norm list)",
    "desk:staffing:officer_positions": "a fragment: the options of the form's position list",
    "desk:staffing:import_template": "an Excel file (its headers are what officials fill in)",
}

# The records' own text, which reads the same in both languages.
RECORDS = (
    (StaffField, ("name", "code")),
    (Position, ("grade",)),
    (Officer, ("full_name", "staff_number", "grade")),
    (NormRule, ("note",)),
)
# The sheets' names and headers: Vietnamese in every language, as officials fill them in.
SHEET_TEXTS = (*TITLES.values(), *(c.header for columns in COLUMNS.values() for c in columns))


def world() -> dict:
    home_affairs = Agency.objects.get(code=HOME_AFFAIRS)
    AgencyDuty.objects.get_or_create(agency=home_affairs, duty=Duty.STAFFING)
    arranger, _made = User.objects.get_or_create(
        username=ARRANGER, defaults={"full_name": "Phan Thị Nội"}
    )
    Membership.objects.get_or_create(user=arranger, agency=home_affairs, role=Role.SPECIALIST)
    arranger.forget_scope()
    catalog_land = Field.objects.get(code="DATDAI")
    land, _made = StaffField.objects.get_or_create(
        code="DATDAI", defaults={"name": "Đất đai", "catalog_field": catalog_land}
    )
    it, _made = StaffField.objects.get_or_create(
        code="CNTT", defaults={"name": "Công nghệ thông tin"}
    )

    # The other pages' worlds may have made some of these already: they are shared, not doubled.
    def position(code: str, field: StaffField, approved: int) -> Position:
        agency = Agency.objects.get(code=code)
        found = Position.objects.filter(agency=agency, field=field, grade="Chuyên viên").first()
        spec = services.PositionSpec(agency, field, "Chuyên viên", approved)
        return found or services.save_position(arranger, spec)

    def norm(spec: services.NormSpec) -> NormRule:
        found = NormRule.objects.filter(field=spec.field, unit=None, agency=None).first()
        return found or services.save_norm(arranger, spec)

    economic = position("17662.03.H40", land, 1)
    desk = position("17662.05.H40", it, 0)
    officer = services.save_officer(
        arranger,
        services.OfficerSpec(
            staff_number="NA-0900",
            full_name="Nguyễn Văn An",
            position=economic,
            grade="Chuyên viên",
            in_post_since=dt.date(2025, 7, 1),
            qualifications=[land],
            citizen_id="040195012345",
            phone="0912345678",
        ),
    )
    services.save_officer(
        arranger,
        services.OfficerSpec(
            staff_number="NA-0901",
            full_name="Trần Thị Bình",
            position=desk,
            grade="Chuyên viên",
            in_post_since=dt.date(2025, 7, 1),
            qualifications=[it],
            desk_posting_from=dt.date(2025, 7, 1),
            desk_posting_until=dt.date(2027, 6, 30),
        ),
    )
    fixed = norm(services.NormSpec(it, Basis.FIXED, count=1, note="Minh họa"))
    norm(services.NormSpec(land, Basis.WORKLOAD, dossiers_per_officer_month=60, minimum=1))
    return {"officer": officer.pk, "position": economic.pk, "norm": fixed.pk}


def pages(world: dict) -> dict[str, tuple]:
    officer = f"{STAFF}can-bo/{world['officer']}/"
    bad_officers = [row[:] for row in sheets.OFFICERS]
    bad_officers[0][12] = "123"  # a citizen ID number too short
    bad_officers[1][2] = "99999.05.H40"  # an agency that does not exist
    workbook = sheets.workbook({**sheets.ALL, Kind.OFFICERS: bad_officers})
    return {
        "desk:staffing:officers": (ARRANGER, "get", f"{STAFF}can-bo/", {}),
        "desk:staffing:officer": (ARRANGER, "get", officer, {}),
        "desk:staffing:officer_edit": (ARRANGER, "get", f"{officer}sua/", {}),
        # refused: the errors the form shows
        "desk:staffing:officer_new": (
            ARRANGER,
            "post",
            f"{STAFF}can-bo/moi/",
            {"staff_number": "NA-0902", "citizen_id": "12", "phone": "1", "account": "khong.co"},
        ),
        "desk:staffing:positions": (ARRANGER, "get", f"{STAFF}vi-tri/", {}),
        "desk:staffing:position_new": (ARRANGER, "get", f"{STAFF}vi-tri/moi/", {}),
        "desk:staffing:position_edit": (
            ARRANGER,
            "get",
            f"{STAFF}vi-tri/{world['position']}/sua/",
            {},
        ),
        "desk:staffing:norms": (ARRANGER, "get", f"{STAFF}dinh-muc/", {}),
        "desk:staffing:norm_new": (ARRANGER, "get", f"{STAFF}dinh-muc/moi/", {}),
        "desk:staffing:norm_edit": (ARRANGER, "get", f"{STAFF}dinh-muc/{world['norm']}/sua/", {}),
        # refused: every problem with its sheet, row and column
        "desk:staffing:import": (
            ARRANGER,
            "post",
            f"{STAFF}nhap/",
            {"files": SimpleUploadedFile("nhan-su.xlsx", workbook)},
        ),
    }
