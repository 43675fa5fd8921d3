"""Importing the capital plan from a workbook, all or nothing, and the template workbook to fill
in.

``import_file`` reads every sheet of the file (an .xlsx workbook, or a .csv file of one of the
two sheets), parses every row (``plan_sheet``), looks up what each names and applies them
(``services.imports.import_plan``) in one transaction; or refuses it whole with
``NothingImported``, every problem of every row said at once in the reader's language with its
sheet, row and column. The desk's import page, the API and ``manage.py import_capital_plan``
use it. Each import is audited with what it did, and an ``idempotency_key`` (the API's) makes a
retry answer what the first request did.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext, gettext_noop, ngettext

from haicap.accounts.models import User
from haicap.budget import plan_sheet
from haicap.budget.models import InvestmentField, Level, Plan, Source
from haicap.budget.plan_columns import (
    CODES_TITLE,
    COLUMNS,
    FIELD_TEXT,
    INSTRUCTIONS_TITLE,
    LEVEL_TEXT,
    PLAN_CODES,
    SOURCE_TEXT,
    TITLES,
    Kind,
)
from haicap.budget.services import imports, projects
from haicap.core.audit import record_change
from haicap.core.exports import fit_columns, put
from haicap.core.models import AuditRecord
from haicap.core.sheet_cells import BOLD, ITALIC, column_letter, new_workbook
from haicap.core.sheet_import import NothingImported
from haicap.core.sheets import UnreadableSheet, read_sheets
from haicap.core.text import as_sentence
from haicap.dossiers.services.retries import earlier_request, request_digest

if TYPE_CHECKING:
    from openpyxl import Workbook

IMPORTED = "capital_plan.imported"

# The pure rules and the import speak English; these are their words, so that the catalogue
# holds them.
WORDS = (
    gettext_noop("the column is missing"),
    gettext_noop("its columns are not those of the projects or the allocations (see the template)"),
    gettext_noop("a second sheet of %(kind)s; the first is %(first)s"),
    gettext_noop("neither the projects nor the allocations are there (see the template)"),
    gettext_noop("the sheets have no rows"),
    gettext_noop("empty: it is required"),
    gettext_noop("longer than %(max)d characters"),
    gettext_noop("%(kind)s (U+%(code)s) at position %(position)d is not allowed here"),
    gettext_noop("a project code is written with letters, digits and . - / _ only"),
    gettext_noop("%(value)s is already on row %(row)d"),
    gettext_noop("the same allocation is already on row %(row)d"),
    gettext_noop("not a whole number of đồng above 0"),
    gettext_noop("not a whole number of đồng from 0 to %(max)s"),
    gettext_noop(
        "the sources add up to %(sources)s đồng, not the total investment of %(total)s đồng"
    ),
    gettext_noop("not a field: write one of %(choices)s"),
    gettext_noop("not a source: write one of %(choices)s"),
    gettext_noop("not a budget level: write tỉnh, huyện or xã"),
    gettext_noop("write the unit's kind and name, e.g. %(example)s, or its code"),
    gettext_noop("not a date written dd/mm/yyyy"),
    gettext_noop("a day from %(first)d on"),
    gettext_noop("a day after today (%(today)s)"),
    gettext_noop(
        "the district level ended on %(ended)s: capital decided from then on goes to the "
        "province or a commune, and district capital only decreases"
    ),
    # the kinds of sheet, as a problem names them
    gettext_noop("projects"),
    gettext_noop("allocations"),
    # what the import finds against the records (services.imports)
    gettext_noop("no agency has the code %(code)s"),
    gettext_noop("%(code)s belongs to a unit that no longer exists"),
    gettext_noop("%(code)s is not a provincial agency or a commune's"),
    gettext_noop("no current commune or ward is called %(name)s"),
    gettext_noop("no current commune or ward has the code %(code)s"),
    gettext_noop("no former district is called %(name)s"),
    gettext_noop("no former district has the code %(code)s"),
    gettext_noop("%(count)d units are called %(name)s: write its code"),
    gettext_noop("no capital plan has the code %(code)s: write %(codes)s"),
    gettext_noop("no project has the code %(code)s, on the sheet %(sheet)s or in haicap"),
    gettext_noop("%(source)s is not among the sources of the project %(code)s"),
    # what the sheet reader says of a file (haicap.core.sheets)
    gettext_noop("the file is not UTF-8 text; save it as CSV UTF-8"),
    gettext_noop("the file is not a readable .xlsx workbook"),
    gettext_noop("send a .csv or .xlsx file"),
)
# Parameters that are words themselves, said in the reader's language too (a kind of sheet, a
# kind of character: haicap.core.validators.KINDS holds those words).
WORD_PARAMS = {"kind"}


def describe(problem: plan_sheet.Problem) -> str:
    """``Trang “Dự án”, dòng 5, cột “Tổng mức đầu tư (đồng)”: …`` in the active language."""
    params = {
        key: gettext(str(value)) if key in WORD_PARAMS else value
        for key, value in problem.params.items()
    }
    what = as_sentence(gettext(problem.message) % params)
    if problem.row is not None and problem.column:
        where = gettext("Sheet “%(sheet)s”, row %(row)d, column “%(column)s”")
    elif problem.row is not None:
        where = gettext("Sheet “%(sheet)s”, row %(row)d")
    else:
        where = gettext("Sheet “%(sheet)s”")
    place = {"sheet": problem.sheet, "row": problem.row, "column": problem.column}
    return f"{where % place}: {what}"


class PlanNotImported(NothingImported):
    """``NothingImported`` with each problem's place kept, for the API's list of errors."""

    def __init__(self, problems: list[str], line: str, found: list[plan_sheet.Problem]) -> None:
        super().__init__(problems, line)
        self.found = found


def refused(problems: list[str], found: list[plan_sheet.Problem] | None = None) -> PlanNotImported:
    line = ngettext(
        "%(count)d problem, nothing imported: %(problems)s",
        "%(count)d problems, nothing imported: %(problems)s",
        len(problems),
    ) % {"count": len(problems), "problems": " ".join(problems)}
    return PlanNotImported(problems, line, found or [])


def _earlier(actor: User, key: str, digest: str) -> AuditRecord | None:
    """The audit record of the import an earlier request with ``key`` made (it keeps the key)."""
    return earlier_request(IMPORTED, actor.pk, key, digest)


def _report_of(record: AuditRecord) -> imports.ImportReport:
    rows = [imports.RowOutcome(Kind(r[0]), r[1], r[2], r[3], r[4]) for r in record.after["rows"]]
    return imports.ImportReport(rows=rows)


def import_file(
    actor: User, name: str, content: bytes, *, idempotency_key: str = ""
) -> imports.ImportReport:
    """Import the file's sheets, all or nothing (see the module)."""
    projects.require_arranger(actor)
    sha256 = hashlib.sha256(content).hexdigest()
    key = idempotency_key.strip()
    digest = request_digest(kind="capital_plan_import", name=name, sha256=sha256) if key else ""
    try:
        sheets = read_sheets(name, content)
    except UnreadableSheet as error:
        reason = gettext(str(error))
        raise refused(
            [gettext("File “%(name)s”: %(reason)s") % {"name": name, "reason": reason}]
        ) from error
    workbook = plan_sheet.read_workbook(sheets, projects.today())
    try:
        with transaction.atomic():
            # one import at a time: what is recorded already (the same file under one key, an
            # allocation made before) is read only once the import before has committed
            plans = projects.ensure_plans(actor)
            list(Plan.objects.select_for_update().filter(pk__in=[p.pk for p in plans.values()]))
            if key:
                earlier = _earlier(actor, key, digest)
                if earlier is not None:
                    return _report_of(earlier)
            report = imports.import_plan(actor, workbook)
            rows = [[r.kind.value, r.sheet, r.row, r.subject, r.outcome] for r in report.rows]
            after = {"file": name, "sha256": sha256, "rows": rows}
            if key:
                after |= {"idempotency_key": key, "request_digest": digest}
            record_change(IMPORTED, ("budget.plan_import", sha256[:16]), actor=actor, after=after)
            return report
    except imports.PlanImportRefused as error:
        raise refused([describe(p) for p in error.found], error.found) from error


def summary(report: imports.ImportReport) -> list[str]:
    """One line a sheet: how many rows were created, updated and already so."""
    names = {Kind.PROJECTS: gettext("Projects"), Kind.ALLOCATIONS: gettext("Allocations")}
    lines = []
    for kind in Kind:
        if not any(r.kind == kind for r in report.rows):
            continue
        lines.append(
            gettext("%(sheet)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
            % {
                "sheet": names[kind],
                "created": report.count(kind, imports.CREATED),
                "updated": report.count(kind, imports.UPDATED),
                "unchanged": report.count(kind, imports.UNCHANGED),
            }
        )
    return lines


def subject_text(row: imports.RowOutcome) -> str:
    """What a row of the report is about, in the reader's words: a project's code, or an
    allocation's project, plan, source and level (the API and the audit keep the codes)."""
    if row.allocation is None:
        return row.subject
    project, plan, source, level = row.allocation
    return " · ".join((project, plan, str(Source(source).label), str(Level(level).label)))


def outcome_text(outcome: str) -> str:
    return {
        imports.CREATED: gettext("created"),
        imports.UPDATED: gettext("updated"),
        imports.UNCHANGED: gettext("already so"),
    }[outcome]


# --- the template ---------------------------------------------------------------------------

TEMPLATE_FILENAME = "mau-nhap-ke-hoach-von.xlsx"
EXAMPLES: dict[Kind, list[list[str]]] = {
    Kind.PROJECTS: [
        [
            "DL-GT-01",
            "Đường giao thông liên xã Đô Lương – Bạch Ngọc",
            "Giao thông",
            "xã Đô Lương",
            "17662.01.H40",
            "UBND huyện Đô Lương",
            "huyện Đô Lương",
            "20.000.000.000",
            "",
            "16.000.000.000",
            "",
            "4.000.000.000",
            "",
        ],
    ],
    Kind.ALLOCATIONS: [
        [
            "DL-GT-01",
            "2025",
            "Ngân sách huyện",
            "Huyện (đã kết thúc hoạt động)",
            "8.000.000.000",
            "15/QĐ-UBND",
            "10/01/2025",
            "Giao kế hoạch vốn năm 2025",
        ],
        [
            "DL-GT-01",
            "2025",
            "Ngân sách trung ương hỗ trợ",
            "Huyện (đã kết thúc hoạt động)",
            "2.000.000.000",
            "15/QĐ-UBND",
            "10/01/2025",
            "Giao kế hoạch vốn năm 2025",
        ],
    ],
}
INSTRUCTIONS = (
    "Mẫu nhập kế hoạch vốn đầu tư công vào haicap: trang “Dự án” (mỗi dòng một dự án) và trang "
    "“Kế hoạch vốn” (mỗi dòng một khoản vốn được giao). Có thể chỉ nộp một trong hai trang.",
    "Trang được nhận ra theo tên cột (không theo tên trang); giữ nguyên dòng tiêu đề.",
    "Nhập tất cả hoặc không nhập gì: nếu có dòng sai, haicap nêu mọi lỗi của mọi dòng (trang, "
    "dòng, cột) và không ghi gì.",
    "Mã dự án đã có trong haicap: dòng đó cập nhật dự án. Cột không bắt buộc bị bỏ đi thì giữ "
    "nguyên thông tin haicap đang có.",
    "Cơ cấu nguồn vốn: mỗi nguồn một cột; các nguồn cộng lại phải bằng tổng mức đầu tư.",
    "Số tiền ghi bằng đồng, số nguyên (8.000.000.000 hoặc 8000000000), không có phần thập phân.",
    "Mỗi khoản vốn được ghi vào sổ kế hoạch vốn (không sửa, không xóa). Nhập lại một khoản đã "
    "có (cùng dự án, kế hoạch, nguồn, cấp, số vốn, số và ngày quyết định) thì không ghi lần nữa. "
    "Điều chỉnh, hủy một khoản đã ghi: làm trên trang của dự án.",
    "Chủ đầu tư ghi bằng mã cơ quan (ví dụ 17662.01.H40): xem cột “Mã” trên trang danh mục cơ "
    "quan của haicap (Danh mục › Cơ quan, /desk/registry/agencies/).",
    "Mã lĩnh vực, nguồn vốn, cấp ngân sách và kế hoạch: xem trang “Danh mục”.",
    "Các ví dụ dưới đây chỉ để minh họa; điền dữ liệu vào các trang “Dự án” và “Kế hoạch vốn”.",
)


def _codes(fields: Iterable[str], sources: Iterable[str], levels: Iterable[str]) -> list[tuple]:
    """The lists of codes the sheets write, each with its words."""
    return [
        *(("Lĩnh vực", code, FIELD_TEXT[code]) for code in fields),
        *(("Nguồn vốn", code, SOURCE_TEXT[code]) for code in sources),
        *(("Cấp ngân sách", code, LEVEL_TEXT[code]) for code in levels),
        *(("Kế hoạch", code, code) for code in PLAN_CODES),
    ]


def template_workbook() -> Workbook:
    """The workbook to fill in: instructions with each column and examples, the two sheets with
    their headers only (so that importing the template as it comes imports nothing), and the
    codes of fields, sources, levels and plans."""
    workbook = new_workbook()
    guide = workbook.active
    guide.title = INSTRUCTIONS_TITLE
    put(guide, 1, 1, "Hướng dẫn nhập kế hoạch vốn đầu tư công", style=BOLD)
    for line, text in enumerate(INSTRUCTIONS, start=3):
        put(guide, line, 1, f"{line - 2}. {text}")
    line = len(INSTRUCTIONS) + 4
    titles = []
    for kind in Kind:
        titles.append(line)
        put(guide, line, 1, f"Trang “{TITLES[kind]}”: ví dụ", style=BOLD)
        for index, column in enumerate(COLUMNS[kind], start=1):
            put(guide, line + 1, index, column.header, style=BOLD)
            needed = "bắt buộc" if column.required else "có thể bỏ cột"
            note = f"{column.note} ({needed})" if column.note else needed
            put(guide, line + 2, index, note, style=ITALIC)
        for row, values in enumerate(EXAMPLES[kind], start=line + 3):
            for index, value in enumerate(values, start=1):
                put(guide, row, index, value)
        line += len(EXAMPLES[kind]) + 4
    fit_columns(guide, skip_rows=[1, *range(3, 3 + len(INSTRUCTIONS)), *titles])
    for kind in Kind:
        sheet = workbook.create_sheet(TITLES[kind])
        for index, column in enumerate(COLUMNS[kind], start=1):
            put(sheet, 1, index, column.header, style=BOLD)
            # what is typed below stays text: a code keeps its leading zeros
            sheet.column_dimensions[column_letter(index)].number_format = "@"
        fit_columns(sheet)
        sheet.freeze_panes = "A2"
    listing = workbook.create_sheet(CODES_TITLE)
    for index, heading in enumerate(("Danh mục", "Mã", "Ghi trong trang"), start=1):
        put(listing, 1, index, heading, style=BOLD)
    codes = _codes(InvestmentField.values, Source.values, Level.values)
    for row, values in enumerate(codes, start=2):
        for index, value in enumerate(values, start=1):
            put(listing, row, index, value)
    fit_columns(listing)
    listing.freeze_panes = "A2"
    return workbook
