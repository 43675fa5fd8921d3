"""The disbursement pages, for the test that reads every page in both languages
(``tests/test_translations.py``): Finance's specialist and ``disbursement_world`` (June 2025,
three projects behind the pace); entering a month refused for one project, an import refused."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from haicap.budget.disbursement_sheet import COLUMNS, INSTRUCTIONS_TITLE, TITLE
from haicap.budget.models import Plan, Project
from tests.budget import disbursement_world

FINANCE = "chuyenvien.vondautu"
PAGES = "/desk/von-dau-tu/giai-ngan/"
JUNE = {"year": "2025", "month": "6"}

NOT_PAGES = {
    "desk:budget:disbursement_chart": "an SVG image (its words are checked in its own tests)",
    "desk:budget:disbursement_project_chart": "an SVG image",
    "desk:budget:disbursement_xlsx": "an Excel file (the monthly report)",
    "desk:budget:disbursement_pdf": "a PDF (the monthly report)",
    "desk:budget:disbursement_import_template": "an Excel file (its headers are Vietnamese)",
}

# The records' own text, which reads the same in both languages.
RECORDS = ((Project, ("code", "name")), (Plan, ("name", "code")))
# The sheet's names and headers: Vietnamese in every language, as officials fill them in.
SHEET_TEXTS = (TITLE, INSTRUCTIONS_TITLE, *(c.header for c in COLUMNS))


def world() -> dict:
    made = disbursement_world.make()
    return {"road": made.road.pk, "bridge": made.bridge.pk}


def _bad_workbook() -> SimpleUploadedFile:
    book = Workbook()
    book.active.title = TITLE
    book.active.append([c.header for c in COLUMNS])
    book.active.append(["DL-GT-01", 2025, 14, "1,5"])
    book.active.append(["KHONG-CO", 2025, 6, 1])
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("giai-ngan.xlsx", buffer.getvalue())


def pages(world: dict) -> dict[str, tuple]:
    project = f"{PAGES}du-an/{world['road']}/"
    return {
        "desk:budget:disbursement": (FINANCE, "get", PAGES, {**JUNE, "by": "commune"}),
        "desk:budget:disbursement_project": (FINANCE, "get", project, JUNE),
        # refused: the bridge over its plan, shown on its row
        "desk:budget:disbursement_enter": (
            FINANCE,
            "post",
            f"{PAGES}nhap/?year=2025&month=6",
            {f"amount_{world['bridge']}": "12.500.000.000"},
        ),
        "desk:budget:disbursement_import": (
            FINANCE,
            "post",
            f"{PAGES}nhap-excel/",
            {"file": _bad_workbook()},
        ),
        "desk:budget:disbursement_pace": (FINANCE, "get", f"{PAGES}tien-do/", {"year": "2025"}),
    }
