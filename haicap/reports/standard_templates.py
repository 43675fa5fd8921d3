"""The monthly report on how the communes' government operates, as data: the version of before
the 2025 reform and the two-tier one (pure: no Django).

Nghệ An's communes report monthly to the province (the Department of Home Affairs) on their
organisation and staff, the administrative procedures they handled, citizens' petitions, their
offices, equipment and capital, a general assessment, results, difficulties and proposals.
Version 1 is what the former communes filed before 1 July 2025; version 2 the new communes'
since, with what the two-tier government added (the staffing gap, equipment against the
one-stop desk norms, the capital moved from the districts). Cells that existed before keep
their keys in both, so a series runs across the reform.

ILLUSTRATIVE: the structure follows the communes' usual monthly reports; the wording is the
demo's, not a form prescribed by a legal document.
"""

import datetime as dt
from dataclasses import dataclass, field

CODE = "hoat-dong-chinh-quyen"


def _number(key: str, label: str, unit: str, source: str | None = None, **more: object) -> dict:
    cell: dict = {"key": key, "label": label, "kind": "number", "unit": unit, **more}
    if source is not None:
        cell["source"] = {"key": source, "params": {}}
    return cell


def _text(key: str, label: str, **more: object) -> dict:
    return {"key": key, "label": label, "kind": "text", **more}


def _choice(key: str, label: str, choices: list[str], **more: object) -> dict:
    return {"key": key, "label": label, "kind": "choice", "choices": choices, **more}


ASSESSMENTS = ["Thông suốt, hiệu quả", "Cơ bản thông suốt", "Còn vướng mắc, cần tháo gỡ"]
OFFICES = ["Đáp ứng yêu cầu", "Cơ bản đáp ứng", "Chưa đáp ứng"]

BY_FIELD = {
    "key": "by_field",
    "label": "Hồ sơ tiếp nhận theo lĩnh vực",
    "kind": "table",
    "columns": [
        {"key": "field", "label": "Lĩnh vực", "kind": "text"},
        {"key": "received", "label": "Số hồ sơ tiếp nhận", "kind": "number"},
    ],
}

RULES = [
    {
        "key": "online_within_received",
        "left": ["received_online"],
        "op": "<=",
        "right": ["received"],
        "message": "Số hồ sơ tiếp nhận trực tuyến không lớn hơn tổng số hồ sơ tiếp nhận.",
    },
    {
        "key": "on_time_within_resolved",
        "left": ["resolved_on_time"],
        "op": "<=",
        "right": ["resolved"],
        "message": "Số hồ sơ giải quyết đúng hạn không lớn hơn số hồ sơ đã giải quyết.",
    },
    {
        "key": "fields_add_up",
        "left": ["by_field.received"],
        "op": "=",
        "right": ["received"],
        "message": "Tổng số hồ sơ theo các lĩnh vực phải bằng tổng số hồ sơ tiếp nhận.",
    },
]


def _procedures(sourced: bool) -> dict:
    def source(key: str) -> str | None:
        return key if sourced else None

    return {
        "key": "tthc",
        "title": "Tiếp nhận, giải quyết thủ tục hành chính",
        "cells": [
            _number("received", "Số hồ sơ tiếp nhận", "hồ sơ", source("kpi.received")),
            _number(
                "received_online",
                "Trong đó: tiếp nhận trực tuyến",
                "hồ sơ",
                source("kpi.received_online"),
            ),
            _number("resolved", "Số hồ sơ đã giải quyết", "hồ sơ", source("kpi.resolved")),
            _number(
                "resolved_on_time",
                "Trong đó: giải quyết trước và đúng hạn",
                "hồ sơ",
                source("kpi.resolved_on_time"),
            ),
            _number("on_time_rate", "Tỷ lệ giải quyết đúng hạn", "%", source("kpi.on_time_rate")),
            _number(
                "backlog", "Số hồ sơ đang giải quyết cuối kỳ", "hồ sơ", source("kpi.open_backlog")
            ),
            BY_FIELD,
        ],
    }


def _petitions(sourced: bool, satisfaction: bool) -> dict:
    def source(key: str) -> str | None:
        return key if sourced else None

    cells = [
        _number(
            "petitions_received",
            "Số phản ánh, kiến nghị tiếp nhận",
            "phản ánh",
            source("feedback.petitions_received"),
        ),
        _number(
            "petitions_answered",
            "Số phản ánh, kiến nghị đã trả lời",
            "phản ánh",
            source("feedback.petitions_answered"),
        ),
        _number(
            "petitions_on_time",
            "Tỷ lệ trả lời đúng hạn",
            "%",
            source("feedback.petitions_answered_on_time"),
        ),
        _number(
            "petitions_overdue",
            "Số phản ánh quá hạn chưa trả lời",
            "phản ánh",
            source("feedback.petitions_overdue"),
        ),
    ]
    if satisfaction:
        cells.append(
            _number(
                "satisfaction",
                "Tỷ lệ hài lòng của người dân, doanh nghiệp",
                "%",
                source("feedback.satisfaction_rate"),
            )
        )
    return {"key": "phan_anh", "title": "Tiếp nhận, xử lý phản ánh, kiến nghị", "cells": cells}


def _closing() -> list[dict]:
    """The assessment, the difficulties and the proposals (the page and the print number the
    sections, so their titles carry no number)."""
    return [
        {
            "key": "danh_gia",
            "title": "Đánh giá chung",
            "cells": [
                _choice(
                    "assessment",
                    "Mức độ vận hành của chính quyền xã",
                    ASSESSMENTS,
                    required=True,
                ),
                _text("results", "Kết quả nổi bật trong tháng"),
            ],
        },
        {
            "key": "kho_khan",
            "title": "Khó khăn, vướng mắc",
            "cells": [
                _text(
                    "difficulties",
                    "Khó khăn, vướng mắc",
                    required=True,
                    highlight=True,
                    help="Nêu cụ thể vướng mắc, nguyên nhân và cơ quan liên quan.",
                )
            ],
        },
        {
            "key": "kien_nghi",
            "title": "Kiến nghị, đề xuất",
            "cells": [
                _text(
                    "proposals",
                    "Kiến nghị, đề xuất",
                    required=True,
                    highlight=True,
                    help="Nêu rõ kiến nghị với cơ quan nào, nội dung và thời hạn đề nghị.",
                )
            ],
        },
    ]


BEFORE_REFORM = {
    "sections": [
        {
            "key": "to_chuc",
            "title": "Tổ chức bộ máy, đội ngũ cán bộ, công chức",
            "cells": [_number("officers", "Số cán bộ, công chức hiện có", "người")],
        },
        _procedures(sourced=False),
        _petitions(sourced=False, satisfaction=False),
        *_closing(),
    ],
    "rules": RULES,
}

TWO_TIER = {
    "sections": [
        {
            "key": "to_chuc",
            "title": "Tổ chức bộ máy, đội ngũ cán bộ, công chức",
            "cells": [
                _number("officers", "Số cán bộ, công chức hiện có", "người", "staffing.officers"),
                _number(
                    "staffing_gap",
                    "Số công chức còn thiếu so với định mức",
                    "người",
                    "staffing.gap",
                ),
            ],
        },
        _procedures(sourced=True),
        _petitions(sourced=True, satisfaction=True),
        {
            "key": "co_so",
            "title": "Cơ sở vật chất, trang thiết bị, vốn đầu tư công",
            "cells": [
                _number(
                    "equipment_gap",
                    "Số trang thiết bị còn thiếu so với định mức",
                    "chiếc",
                    "assets.equipment_gap",
                ),
                _number(
                    "disbursement_rate",
                    "Tỷ lệ giải ngân vốn đầu tư công",
                    "%",
                    "budget.disbursement_rate",
                ),
                _choice("offices", "Trụ sở làm việc", OFFICES),
            ],
        },
        *_closing(),
    ],
    "rules": RULES,
}


@dataclass(frozen=True)
class StandardTemplate:
    name: str
    definition: dict
    in_force_from: dt.date
    # the communes that file it, by official code (none: the demo lists them otherwise)
    filers: tuple[str, ...] = field(default=())
    code: str = CODE
    period_kind: str = "month"
    due_days: int = 3
    late_after_days: int = 5


# The six communes formed on 1 July 2025 from the former Đô Lương district.
DO_LUONG, BACH_HA, BACH_NGOC, LUONG_SON, THUAN_TRUNG, VAN_HIEN = (
    "17662",
    "17707",
    "17623",
    "17641",
    "17689",
    "17677",
)
SIX_COMMUNES = (DO_LUONG, BACH_HA, BACH_NGOC, LUONG_SON, THUAN_TRUNG, VAN_HIEN)

# Filed by the former communes of the former Đô Lương district (they have no code: the demo
# finds them by their former district).
V1 = StandardTemplate(
    name="Báo cáo tình hình hoạt động của chính quyền cơ sở",
    definition=BEFORE_REFORM,
    in_force_from=dt.date(2025, 1, 1),
)
V2 = StandardTemplate(
    name="Báo cáo tình hình hoạt động của chính quyền địa phương hai cấp",
    definition=TWO_TIER,
    in_force_from=dt.date(2025, 7, 1),
    filers=SIX_COMMUNES,
)


def as_command_input(template: StandardTemplate) -> dict:
    """The JSON ``publish_report_template`` reads for ``template``."""
    return {
        "code": template.code,
        "name": template.name,
        "period": template.period_kind,
        "due_days": template.due_days,
        "late_after_days": template.late_after_days,
        "in_force_from": template.in_force_from.isoformat(),
        "filers": list(template.filers),
        "definition": template.definition,
    }
