"""The project pages, for the test that reads every page in both languages
(``tests/test_translations.py``): Finance's specialist and leader, the four projects of
``world``, the road adjusted once; the adjustment refused, with its errors; an import refused,
with every problem."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from haicap.budget.models import LedgerEntry, Plan, Project
from haicap.budget.plan_columns import (
    CODES_TITLE,
    COLUMNS,
    FIELD_TEXT,
    INSTRUCTIONS_TITLE,
    LEVEL_TEXT,
    SOURCE_TEXT,
    TITLES,
    Kind,
)
from haicap.budget.services import ledger
from tests.budget import world

FINANCE = "chuyenvien.vondautu"
LEADER = "lanhdao.vondautu"
CAPITAL = "/desk/von-dau-tu/"

NOT_PAGES = {
    "desk:budget:plan_import_template": "an Excel file (its headers are what officials fill in)",
}

# The records' own text, which reads the same in both languages.
RECORDS = (
    (Project, ("code", "name", "former_investor")),
    (Plan, ("code", "name")),
    (LedgerEntry, ("decision_number", "reason")),
)
# The sheets' names, headers and words: Vietnamese in every language, as officials fill them in.
SHEET_TEXTS = (
    *TITLES.values(),
    INSTRUCTIONS_TITLE,
    CODES_TITLE,
    *(c.header for kind in Kind for c in COLUMNS[kind]),
    *FIELD_TEXT.values(),
    *SOURCE_TEXT.values(),
    *LEVEL_TEXT.values(),
)


def world_of_projects() -> dict:
    made = world.make()
    ledger.adjust(
        made.who.finance,
        made.plans.y2025,
        made.road,
        "district",
        "district",
        -500 * world.MILLION,
        "210/QĐ-UBND",
        dt.date(2025, 8, 20),
        "Điều chỉnh giảm kế hoạch vốn",
    )
    allocation = LedgerEntry.objects.get(project=made.school)
    return {"road": made.road.pk, "allocation": allocation.pk}


def _bad_workbook() -> bytes:
    book = Workbook()
    book.active.title = TITLES[Kind.PROJECTS]
    book.active.append([c.header for c in COLUMNS[Kind.PROJECTS]])
    book.active.append(
        ["DL 01", "", "Cầu cống", "xã Atlantis", "99999.01.H40", "", "", "1,5", "", "", "", "", ""]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def pages(made: dict) -> dict[str, tuple]:
    road = f"{CAPITAL}du-an/{made['road']}/"
    return {
        "desk:budget:projects": (FINANCE, "get", CAPITAL, {}),
        "desk:budget:project": (LEADER, "get", road, {}),
        # refused: the errors the adjustment form shows on the project's page
        "desk:budget:project_adjust": (
            FINANCE,
            "post",
            f"{road}dieu-chinh/",
            {"plan": "2025", "amount": "1,5", "decision_date": "2099-01-01"},
        ),
        "desk:budget:entry_reverse": (
            LEADER,
            "get",
            f"{CAPITAL}but-toan/{made['allocation']}/dao/",
            {},
        ),
        # refused: every problem with its sheet, row and column
        "desk:budget:plan_import": (
            FINANCE,
            "post",
            f"{CAPITAL}nhap/",
            {"file": SimpleUploadedFile("ke-hoach.xlsx", _bad_workbook())},
        ),
    }
