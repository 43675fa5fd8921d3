"""The working groups' pages for the test that reads every page in both languages
(``tests/test_translations.py``): a group with an inspection in progress, its finding recorded
with a link and a file, and a concluded one with a directive."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from haicap.accounts.models import User
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.oversight import services
from haicap.oversight.models import (
    Directive,
    Finding,
    FindingLink,
    FindingPaper,
    Inspection,
    WorkingGroup,
)
from haicap.units.models import AdministrativeUnit, Agency
from tests.portal.helpers import PDF

SECRETARY = "admin"  # a member of the PPC Office, the group's secretariat
INSPECTION = "/desk/giam-sat/kiem-tra/{}/"

NOT_PAGES = {
    "desk:oversight:home": "a redirect to the working groups",
    "desk:oversight:conclude": "POST only (its refusal is the inspection page, rendered below)",
    "desk:oversight:finding_paper": "a file",
    "desk:oversight:briefing_pack_pdf": "a PDF of the pack's tables",
    "desk:oversight:briefing_pack_xlsx": "an Excel file of the pack's tables",
    "desk:oversight:notice_docx": "a Word file (an administrative document, in Vietnamese)",
    "desk:oversight:notice_pdf": "a PDF (an administrative document, in Vietnamese)",
}

# The records' own text, which reads the same in both languages.
RECORDS = (
    (WorkingGroup, ("name", "leader_title")),
    (
        Inspection,
        (
            "agenda",
            "other_participants",
            "conclusion_number",
            "conclusion_summary",
            "conclusion_text",
        ),
    ),
    (Finding, ("text", "field_text")),
    (FindingLink, ("label", "url")),
    (FindingPaper, ("name",)),
    (Directive, ("title", "expected_result")),
)


def world() -> dict:
    secretary = User.objects.get(username=SECRETARY)
    office = Agency.objects.get(code="000.01.00.H40")
    communes = list(AdministrativeUnit.objects.filter(code__in=["17662", "17677"]))
    day = dt.datetime(2026, 3, 10, 9, tzinfo=VIETNAM)
    with clock.fixed_at(day):
        group = services.save_group(
            secretary,
            services.GroupSpec(
                number="4",
                name="Tổ công tác số 4",
                term_start=dt.date(2025, 7, 1),
                leader_title="Phó Chủ tịch UBND tỉnh",
                secretariat_agency=office,
                member_agencies=[office],
                communes=communes,
            ),
        )
        visits = []
        for _ in range(2):
            visit = services.plan_inspection(
                secretary,
                group,
                held_on=day.date(),
                communes=communes,
                agenda="Nghe báo cáo",
                other_participants="Ông Nguyễn Văn A",
            )
            services.start_inspection(secretary, visit)
            services.record_finding(
                secretary,
                visit,
                services.FindingSpec(
                    commune=communes[0],
                    category=Finding.Category.IT_SYSTEM,
                    text="Phần mềm lỗi kết nối",
                    agency_to_act=office,
                    links=[("/desk/ho-so/?unit=17662", "Hồ sơ của xã")],
                    papers=[SimpleUploadedFile("bien-ban.pdf", PDF)],
                ),
            )
            visits.append(visit)
        in_progress, concluded = visits
        services.conclude_inspection(
            secretary,
            concluded,
            number="12/TB-UBND",
            date=day.date(),
            summary="Kết luận",
            text="Các xã vận hành ổn định.",
        )
        concluded.refresh_from_db()
        services.issue_directive(
            secretary,
            concluded,
            services.DirectiveSpec(
                title="Kết nối phần mềm", lead_agency=office, deadline=dt.date(2026, 6, 30)
            ),
        )
    return {"group": group.pk, "in_progress": in_progress.pk, "concluded": concluded.pk}


def pages(world: dict) -> dict[str, tuple]:
    group, in_progress = world["group"], world["in_progress"]
    return {
        "desk:oversight:groups": (SECRETARY, "get", "/desk/giam-sat/to-cong-tac/", {}),
        "desk:oversight:group": (SECRETARY, "get", f"/desk/giam-sat/to-cong-tac/{group}/", {}),
        "desk:oversight:plan_inspection": (
            SECRETARY,
            "post",
            f"/desk/giam-sat/to-cong-tac/{group}/kiem-tra-moi/",
            {"held_on": "x"},
        ),
        "desk:oversight:inspection": (SECRETARY, "get", INSPECTION.format(in_progress), {}),
        # refused: a concluded inspection does not begin again (the page, with its directives)
        "desk:oversight:start_inspection": (
            SECRETARY,
            "post",
            INSPECTION.format(world["concluded"]) + "bat-dau/",
            {},
        ),
        "desk:oversight:record_finding": (
            SECRETARY,
            "post",
            INSPECTION.format(in_progress) + "phat-hien/",
            {"text": "Phần mềm lỗi kết nối", "link": "https://example.com"},
        ),
        "desk:oversight:briefing_pack": (
            SECRETARY,
            "get",
            INSPECTION.format(in_progress) + "tai-lieu/",
            {},
        ),
    }
