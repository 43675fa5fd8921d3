"""The register's pages, for the test that reads every page in both languages
(``tests/test_translations.py``): Finance's specialist, the four assets of ``register_world``,
the office moved once; the forms refused, with their errors; an import refused, with every
problem."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from haicap.assets.asset_sheet import COLUMNS, INSTRUCTIONS_TITLE, KINDS_TITLE, TITLE
from haicap.assets.models import Asset, AssetKind, Movement
from haicap.assets.services import register
from tests.assets import register_world

FINANCE = "chuyenvien.sotaichinh"
ASSETS = "/desk/tai-san/"

NOT_PAGES = {
    "desk:assets:asset_condition": "POST only (its answer is the asset's page)",
    "desk:assets:asset_surplus": "POST only (its answer is the asset's page)",
    "desk:assets:asset_in_use": "POST only (its answer is the asset's page)",
    "desk:assets:asset_import_template": "an Excel file (its headers are what officials fill in)",
}

# The records' own text, which reads the same in both languages.
RECORDS = (
    (AssetKind, ("name", "code")),
    (Asset, ("name", "identifier", "address")),
    (Movement, ("decision", "note")),
)
# The sheet's names and headers: Vietnamese in every language, as officials fill them in.
SHEET_TEXTS = (TITLE, INSTRUCTIONS_TITLE, KINDS_TITLE, *(c.header for c in COLUMNS))


def world() -> dict:
    made = register_world.make()
    register.record_movement(
        made.people.finance,
        made.office,
        register.MovementSpec(
            on=dt.date(2025, 9, 1),
            decision="88/QĐ-UBND",
            to_agency=register_world.agency(register_world.BACH_HA_PPC),
        ),
    )
    return {"office": made.office.pk, "scanner": made.scanner.pk}


def _bad_workbook() -> bytes:
    book = Workbook()
    book.active.title = TITLE
    book.active.append([c.header for c in COLUMNS])
    book.active.append(
        ["", "KHO01", "Nhà kho", "99999.01.H40", "xã Nam Sơn", "", "12", "nhiều", "1", 2999, "đẹp"]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def pages(world: dict) -> dict[str, tuple]:
    office = f"{ASSETS}{world['office']}/"
    scanner = f"{ASSETS}{world['scanner']}/"
    return {
        "desk:assets:assets": (FINANCE, "get", ASSETS, {}),
        "desk:assets:asset": (FINANCE, "get", office, {}),
        "desk:assets:asset_edit": (FINANCE, "get", f"{office}sua/", {}),
        # refused: the errors the forms show
        "desk:assets:asset_new": (
            FINANCE,
            "post",
            f"{ASSETS}moi/",
            {"name": "Nhà kho", "original_value": "1", "remaining_value": "2", "area_m2": "x"},
        ),
        "desk:assets:asset_move": (
            FINANCE,
            "post",
            f"{scanner}bien-dong/",
            {"what": "transfer", "on": "2099-06-01", "decision": "7/QĐ"},
        ),
        # refused: every problem with its sheet, row and column
        "desk:assets:asset_import": (
            FINANCE,
            "post",
            f"{ASSETS}nhap/",
            {"file": SimpleUploadedFile("tai-san.xlsx", _bad_workbook())},
        ),
    }
