"""The commune's report pages for the language check (``tests/test_translations.py``): Đô Lương's
November report, a figure overridden with its reason, submitted, returned with a note and so
being corrected (a required text emptied and a table not adding up, saved as the refused
submission below posts them); Văn Hiến's submitted and awaiting the province. The commune's list
read by Đô Lương's officer; Văn Hiến's report read by the province's reviewer, who may decide on
it; a save refused (a word for a number, a figure changed without its reason); a submission
refused (a required text emptied, a table not adding up); a submission as it was."""

from haicap.core import clock
from haicap.reports.models import Report, ReportEvent, ReportTemplate, Submission
from haicap.reports.services import filing, review
from tests.reports import world as reports

OFFICER = "chuyenvien.doluong"
LEADER = "lanhdao.doluong"
REVIEWER = "chuyenvien.sonoivu"
HOME = "/desk/bao-cao-dinh-ky/"
# The pages' own template (the tests' definition under another code), so that other pages'
# worlds opening the tests' template meet none of these reports.
CODE = "kiem-thu-trang-xa"

# What the reports say, typed by the communes: the same in both languages.
RECORDS = (
    (ReportTemplate, ("name",)),
    (Submission, ("signer_name", "signer_title")),
    (ReportEvent, ("note",)),
)
REASON = "Có 12 hồ sơ giấy chưa nhập hệ thống"
RETURN_NOTE = "Bổ sung số cuộc họp giao ban"
BY_FIELD = [{"field": "Hộ tịch", "received": "5"}]


def _texts(definition: dict) -> set[str]:
    """The template's own words: its sections, cells, units, choices, columns and rules."""
    found = set()
    for section in definition["sections"]:
        found.add(section["title"])
        for cell in section["cells"]:
            found |= {cell["label"], cell.get("unit", ""), *cell.get("choices", ())}
            found |= {column["label"] for column in cell.get("columns", ())}
    found |= {rule["message"] for rule in definition.get("rules", ())}
    return found - {""}


TEMPLATE_TEXTS = (
    *_texts(reports.DEFINITION),
    # the signer's capacity, a line each as the page shows it
    *(line for title in filing.SIGNER_TITLES.values() for line in title.split("\n")),
    REASON,
    "Thiếu máy scan để số hóa hồ sơ.",
    "Đề nghị tỉnh cấp bổ sung 02 máy scan.",
    "Hộ tịch",
)

NOT_PAGES = {
    "desk:reports:open": "POST only (it opens the report's page, rendered below)",
    "desk:reports:refresh": "POST only (its refusal is the report's page, rendered below)",
    "desk:reports:docx": "a Word file (the report is in Vietnamese by law)",
    "desk:reports:pdf": "a PDF (the report is in Vietnamese by law)",
}


def _opened(user, commune: str):
    """The commune's November report of the pages' own template, opened on 1 December."""
    with clock.fixed_at(reports.at(12, 1)):
        return filing.open_report(user, CODE, reports.unit(commune).pk, reports.NOVEMBER.start)


def world() -> dict:
    people = reports.people()
    reports.publish(code=CODE, name="Báo cáo kiểm thử các trang của xã")
    do_luong = _opened(people.do_luong, reports.DO_LUONG)
    do_luong = reports.fill(do_luong, people.do_luong, received="12", received_online="3")
    filing.save(people.do_luong, do_luong, {}, {"received": REASON, "received_online": REASON})
    with clock.fixed_at(reports.at(12, 3)):
        filing.submit(people.do_luong_leader, do_luong)
    with clock.fixed_at(reports.at(12, 4)):
        review.return_for_correction(people.reviewer, do_luong, RETURN_NOTE)
    # saved as the refused submission posts it, so that posting it in each language changes
    # nothing and both answers are the same page
    filing.save(people.do_luong, do_luong, {"difficulties": "", "by_field": BY_FIELD})
    van_hien = reports.fill(_opened(people.van_hien, reports.VAN_HIEN), people.van_hien)
    with clock.fixed_at(reports.at(12, 3)):
        filing.submit(people.van_hien_leader, van_hien)
    return {
        "do_luong": do_luong.pk,
        "van_hien": van_hien.pk,
        "version": Report.objects.get(pk=do_luong.pk).version,  # the form carries it
    }


def pages(made: dict) -> dict[str, tuple]:
    do_luong = f"{HOME}{made['do_luong']}/"
    return {
        "desk:reports:mine": (OFFICER, "get", HOME, {}),
        "desk:reports:report": (REVIEWER, "get", f"{HOME}{made['van_hien']}/", {}),
        "desk:reports:save": (
            OFFICER,
            "post",
            f"{do_luong}luu/",
            {"version": made["version"], "v-meetings": "bốn", "v-resolved": "7", "r-resolved": ""},
        ),
        "desk:reports:submit": (
            LEADER,
            "post",
            f"{do_luong}nop/",
            {
                "version": made["version"],
                "v-difficulties": "",
                "n-by_field": "1",
                "v-by_field-0-field": "Hộ tịch",
                "v-by_field-0-received": "5",
            },
        ),
        "desk:reports:submission": (REVIEWER, "get", f"{do_luong}lan/1/", {}),
    }
