"""The demo province: Nghệ An as arranged from 1 July 2025 (Resolution 1678/NQ-UBTVQH15)."""

from pathlib import Path

from haicap.units import unit_list
from haicap.units.services import ImportReport, ProvinceSpec, import_province

DATA_DIR = Path(__file__).resolve().parent / "data"
UNIT_LIST = DATA_DIR / "nghe-an-communes-2025.csv"
CODE_LIST = DATA_DIR / "nghe-an-unit-codes-2025.csv"

NGHE_AN = ProvinceSpec(
    code="40",
    name="Nghệ An",
    legal_basis="Nghị quyết 1678/NQ-UBTVQH15 ngày 16/6/2025",
    # The 20 district-level units before 1 July 2025: 1 city, 2 towns, 17 districts.
    former_districts=(
        ("thành phố", "Vinh"),
        ("thị xã", "Thái Hòa"),
        ("thị xã", "Hoàng Mai"),
        *(
            ("huyện", name)
            for name in (
                "Anh Sơn",
                "Con Cuông",
                "Diễn Châu",
                "Đô Lương",
                "Hưng Nguyên",
                "Kỳ Sơn",
                "Nam Đàn",
                "Nghi Lộc",
                "Nghĩa Đàn",
                "Quế Phong",
                "Quỳ Châu",
                "Quỳ Hợp",
                "Quỳnh Lưu",
                "Tân Kỳ",
                "Thanh Chương",
                "Tương Dương",
                "Yên Thành",
            )
        ),
    ),
    # Items 20–25 of the resolution are the six communes formed from the former Đô Lương district.
    district_items={"Đô Lương": ("20", "21", "22", "23", "24", "25")},
)


def load_nghe_an() -> ImportReport:
    with UNIT_LIST.open(encoding="utf-8") as units, CODE_LIST.open(encoding="utf-8") as codes:
        return import_province(
            NGHE_AN, unit_list.parse_unit_list(units), unit_list.parse_code_list(codes)
        )
