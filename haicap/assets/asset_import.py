"""Importing the register of public assets from a workbook, all or nothing, and the template
workbook to fill in.

``import_file`` reads every sheet of the file (an .xlsx workbook, or a .csv file), parses every
row (``asset_sheet``), resolves what each names against the records and applies them
(``services.register.import_assets``) in one transaction; or refuses it whole with
``NothingImported``, every problem of every row (the sheet's own and what the records refuse)
said at once in the reader's language with its sheet, row and column. The desk's import page
and ``manage.py import_assets`` both use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext, gettext_noop, ngettext

from haicap.accounts.models import User
from haicap.assets import asset_sheet
from haicap.assets.asset_sheet import (
    COLUMNS,
    INSTRUCTIONS_TITLE,
    KINDS_TITLE,
    TITLE,
    AssetRow,
    Place,
    Problem,
    UnitName,
)
from haicap.assets.models import AssetKind, Category
from haicap.assets.services import register
from haicap.core.exports import fit_columns, put
from haicap.core.sheet_cells import BOLD, ITALIC, column_letter, new_workbook
from haicap.core.sheet_import import NothingImported
from haicap.core.sheets import UnreadableSheet, read_sheets

if TYPE_CHECKING:
    from openpyxl import Workbook

# The pure rules and the import speak English; these are their words, so that the catalogue
# holds them.
WORDS = (
    gettext_noop("the column is missing"),
    gettext_noop("its columns are not those of the assets sheet (see the template)"),
    gettext_noop("no sheet has the assets' columns (see the template)"),
    gettext_noop("the sheet has no rows"),
    gettext_noop("empty: it is required"),
    gettext_noop("longer than %(max)d characters"),
    gettext_noop("an identifier is written with letters, digits and . - / _ only"),
    gettext_noop("%(value)s is already on row %(row)d"),
    gettext_noop("%(value)s is already on sheet %(sheet)s, row %(row)d"),
    gettext_noop("not a whole number of đồng from 0 to %(max)s"),
    gettext_noop("not an area in m² with at most one decimal, e.g. 350,5"),
    gettext_noop("not a year written with four digits"),
    gettext_noop("a year from %(first)d on"),
    gettext_noop("the year %(year)d has not come yet"),
    gettext_noop("the remaining value is more than the original value"),
    gettext_noop("write tốt, trung bình, kém or hỏng"),
    gettext_noop("write the former unit's name, e.g. xã Đà Sơn"),
    gettext_noop("%(kind)s (U+%(code)s) at position %(position)d is not allowed here"),
    gettext_noop("only land and buildings have an area"),
    # what the import finds against the records (services.register)
    gettext_noop("no kind of asset has the code %(code)s (see the sheet Loại tài sản)"),
    gettext_noop("no agency has the code %(code)s"),
    gettext_noop("%(code)s belongs to a unit that no longer exists"),
    gettext_noop("no former unit is called %(name)s"),
    gettext_noop("no former unit has the code %(code)s"),
    gettext_noop(
        "%(name)s still exists: the origin is the former unit that held the asset before "
        "1 July 2025"
    ),
    gettext_noop(
        "%(count)d former units are called %(name)s: write its kind (xã, huyện…) and, where names "
        "repeat, its former district or the commune it became part of in brackets, e.g. "
        "%(example)s"
    ),
    gettext_noop("%(identifier)s was disposed of: its record stays as it was"),
    gettext_noop(
        "%(identifier)s is held by %(holder)s: an asset moves by a recorded movement, not by an "
        "import"
    ),
    gettext_noop("%(identifier)s came from %(origin)s: its origin does not change"),
    # what the sheet reader says of a file (haicap.core.sheets)
    gettext_noop("the file is not UTF-8 text; save it as CSV UTF-8"),
    gettext_noop("the file is not a readable .xlsx workbook"),
    gettext_noop("send a .csv or .xlsx file"),
)


def describe(problem: Problem) -> str:
    """``Trang “Tài sản”, dòng 5, cột “Nguyên giá (đồng)”: …`` in the active language."""
    params = dict(problem.params)
    if "kind" in params:  # a kind of character, itself a word (haicap.core.validators.KINDS)
        params["kind"] = gettext(str(params["kind"]))
    what = gettext(problem.message) % params
    if problem.row is not None and problem.column:
        where = gettext("Sheet “%(sheet)s”, row %(row)d, column “%(column)s”")
    elif problem.row is not None:
        where = gettext("Sheet “%(sheet)s”, row %(row)d")
    else:
        where = gettext("Sheet “%(sheet)s”")
    place = {"sheet": problem.sheet, "row": problem.row, "column": problem.column}
    return f"{where % place}: {what}"


def refused(problems: list[str]) -> NothingImported:
    line = ngettext(
        "%(count)d problem, nothing imported: %(problems)s",
        "%(count)d problems, nothing imported: %(problems)s",
        len(problems),
    ) % {"count": len(problems), "problems": "; ".join(problems)}
    return NothingImported(problems, line)


def import_file(actor: User | None, name: str, content: bytes) -> register.ImportReport:
    """Import the file's sheets of assets, all or nothing (see the module)."""
    try:
        sheets = read_sheets(name, content)
    except UnreadableSheet as error:
        reason = gettext(str(error))
        raise refused(
            [gettext("File “%(name)s”: %(reason)s") % {"name": name, "reason": reason}]
        ) from error
    workbook = asset_sheet.read_assets(sheets, register.today().year)
    try:
        with transaction.atomic():
            return register.import_assets(actor, workbook)
    except register.AssetImportRefused as error:
        raise refused([describe(p) for p in error.found]) from error


def summary(report: register.ImportReport) -> list[str]:
    """What the import did, in lines: how many assets were entered (with their identifiers),
    corrected and already so."""
    lines = [
        ngettext(
            "%(count)d asset entered in the register: %(identifiers)s.",
            "%(count)d assets entered in the register: %(identifiers)s.",
            len(report.registered),
        )
        % {"count": len(report.registered), "identifiers": ", ".join(report.registered)}
        if report.registered
        else gettext("No new asset.")
    ]
    lines.append(
        ngettext("%(count)d asset corrected.", "%(count)d assets corrected.", len(report.updated))
        % {"count": len(report.updated)}
    )
    lines.append(
        ngettext(
            "%(count)d asset already as the sheet says.",
            "%(count)d assets already as the sheet says.",
            report.unchanged,
        )
        % {"count": report.unchanged}
    )
    return lines


# --- the template ---------------------------------------------------------------------------

TEMPLATE_FILENAME = "mau-nhap-tai-san.xlsx"
EXAMPLE_PLACE = Place("", 0)
EXAMPLES = (
    AssetRow(
        EXAMPLE_PLACE,
        identifier="",
        kind="TRUSO",
        name="Trụ sở UBND xã Đà Sơn cũ",
        holder="17662.01.H40",
        origin=UnitName(name="Đà Sơn", word="xã"),
        address="Xóm 3, xã Đô Lương, tỉnh Nghệ An",
        area_m2=asset_sheet.area_of("450,5"),
        original_value=3_200_000_000,
        remaining_value=1_250_000_000,
        acquired_year=2008,
        condition=asset_sheet.FAIR,
    ),
    AssetRow(
        EXAMPLE_PLACE,
        identifier="TS.40.000123",
        kind="MAYSCAN",
        name="Máy quét tài liệu",
        holder="17662.05.H40",
        origin=UnitName(name="Đô Lương", word="huyện"),
        address="",
        area_m2=None,
        original_value=18_500_000,
        remaining_value=9_000_000,
        acquired_year=2021,
        condition=asset_sheet.GOOD,
    ),
)
INSTRUCTIONS = (
    "Mẫu nhập sổ tài sản công vào haicap: mỗi dòng một tài sản, trên trang “Tài sản” (có thể "
    "chia thành nhiều trang cùng các cột, ví dụ đất và nhà, phương tiện, trang thiết bị).",
    "Trang được nhận ra theo tên cột (không theo tên trang); giữ nguyên dòng tiêu đề.",
    "Nhập tất cả hoặc không nhập gì: nếu có dòng sai, haicap nêu mọi lỗi của mọi dòng (trang, "
    "dòng, cột) và không ghi gì.",
    "Mã tài sản để trống: haicap cấp mã mới (TS.40.000001, TS.40.000002…); tỉnh đã đánh mã "
    "thì ghi mã đó. Nhập lại một dòng có mã đã có: cập nhật tài sản đó.",
    "Cơ quan quản lý và nguồn gốc không đổi bằng cách nhập lại: tài sản chuyển đi được ghi "
    "bằng biến động (điều chuyển, xử lý) trên trang của tài sản.",
    "Nguồn gốc là đơn vị cũ quản lý tài sản trước 01/07/2025, ghi như danh mục đơn vị hành "
    "chính: xã Đà Sơn, thị trấn Đô Lương, huyện Đô Lương. Tên trùng thì ghi thêm huyện cũ "
    "hoặc xã mới trong ngoặc: xã Nam Sơn (huyện Đô Lương).",
    "Nguyên giá và giá trị còn lại ghi bằng đồng, số nguyên (1.250.000.000); giá trị còn lại "
    "không lớn hơn nguyên giá. Diện tích (m²) chỉ cho đất và nhà, dấu phẩy thập phân (450,5).",
    "Tình trạng: tốt, trung bình, kém hoặc hỏng. Mã loại tài sản: xem trang “Loại tài sản”.",
    "Cơ quan quản lý ghi bằng mã cơ quan (ví dụ 17662.01.H40): xem cột “Mã” trên trang danh "
    "mục cơ quan của haicap (Danh mục › Cơ quan, /desk/registry/agencies/).",
    "Các ví dụ dưới đây chỉ để minh họa; điền dữ liệu vào trang “Tài sản”.",
)
CATEGORY_TEXT = {
    Category.LAND_BUILDING: "Đất và nhà",
    Category.VEHICLE: "Phương tiện",
    Category.EQUIPMENT: "Trang thiết bị",
    Category.OTHER: "Tài sản khác",
}


def examples(kinds: Sequence[AssetKind]) -> list[AssetRow]:
    """The example rows with kinds the database has: a building's code for the office, an
    equipment's for the item (any kind when there is none of the category)."""

    def code_of(category: str, fallback: str) -> str:
        chosen = next((k for k in kinds if k.category == category), kinds[0] if kinds else None)
        return chosen.code if chosen is not None else fallback

    building, item = EXAMPLES
    return [
        replace(building, kind=code_of(Category.LAND_BUILDING, building.kind)),
        replace(item, kind=code_of(Category.EQUIPMENT, item.kind)),
    ]


def template_workbook(kinds: Iterable[AssetKind]) -> Workbook:
    """The workbook to fill in: a sheet of instructions with each column, what to write in it
    and example rows; the assets sheet with its headers only (so that importing the template
    as it comes imports nothing); and the kinds of asset, by code."""
    workbook = new_workbook()
    guide = workbook.active
    guide.title = INSTRUCTIONS_TITLE
    put(guide, 1, 1, "Hướng dẫn nhập sổ tài sản công", style=BOLD)
    for line, text in enumerate(INSTRUCTIONS, start=3):
        put(guide, line, 1, f"{line - 2}. {text}")
    line = len(INSTRUCTIONS) + 4
    put(guide, line, 1, f"Trang “{TITLE}”: ví dụ", style=BOLD)
    for index, column in enumerate(COLUMNS, start=1):
        put(guide, line + 1, index, column.header, style=BOLD)
        needed = "bắt buộc" if column.required else "có thể bỏ cột"
        note = f"{column.note} ({needed})" if column.note else needed
        put(guide, line + 2, index, note, style=ITALIC)
    kinds = list(kinds)
    for row, example in enumerate(examples(kinds), start=line + 3):
        for index, value in enumerate(asset_sheet.asset_cells(example).values(), start=1):
            put(guide, row, index, value)
    fit_columns(guide, skip_rows=[1, *range(3, 3 + len(INSTRUCTIONS)), line])
    sheet = workbook.create_sheet(TITLE)
    for index, column in enumerate(COLUMNS, start=1):
        put(sheet, 1, index, column.header, style=BOLD)
        # what is typed below stays text: a code keeps its leading zeros
        sheet.column_dimensions[column_letter(index)].number_format = "@"
    fit_columns(sheet)
    sheet.freeze_panes = "A2"
    listing = workbook.create_sheet(KINDS_TITLE)
    for index, heading in enumerate(("Mã loại", "Tên loại", "Nhóm"), start=1):
        put(listing, 1, index, heading, style=BOLD)
    for row, kind in enumerate(kinds, start=2):
        put(listing, row, 1, kind.code)
        put(listing, row, 2, kind.name)
        put(listing, row, 3, CATEGORY_TEXT.get(kind.category, kind.category))
    fit_columns(listing)
    listing.freeze_panes = "A2"
    return workbook
