"""The directive pages for the language check (``tests/test_translations.py``): a concluded
inspection with a directive that has a target, a sub-task and an update with a file, and each
page read by someone it is meant for."""

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from haicap.accounts.models import User
from haicap.core import clock
from haicap.core.measures import Comparison
from haicap.oversight import services
from haicap.oversight.models import (
    Directive,
    DirectiveUpdate,
    Finding,
    Inspection,
    UpdatePaper,
    WorkingGroup,
)
from tests.oversight.conftest import (
    HOME_AFFAIRS,
    PPC_OFFICE,
    VAN_HIEN,
    agency,
    at,
    commune,
    group_spec,
    staff,
)
from tests.portal.helpers import PDF

SECRETARY = "thuky.vpubnd"
LEAD = "tiepnhan.vanhien"

# The oversight records' own text: data, the same in both languages.
RECORDS = (
    (WorkingGroup, ("number", "name", "leader_title")),
    (Inspection, ("agenda", "conclusion_number", "conclusion_summary")),
    (Finding, ("text", "field_text")),
    (Directive, ("title", "text", "expected_result", "close_result", "close_reason")),
    (DirectiveUpdate, ("text",)),
    (UpdatePaper, ("name",)),
)

NOT_PAGES = {"desk:oversight:update_paper": "a file"}


def directive_world() -> dict:
    secretary = staff(SECRETARY, PPC_OFFICE)
    with clock.fixed_at(at(3, 2)):
        group = services.save_group(secretary, group_spec(number="5", name="Tổ công tác số 5"))
        inspection = services.plan_inspection(
            secretary, group, held_on=dt.date(2026, 3, 10), communes=[commune(VAN_HIEN)]
        )
    with clock.fixed_at(at(3, 10)):
        services.start_inspection(secretary, inspection)
        finding = services.record_finding(
            secretary,
            inspection,
            services.FindingSpec(
                commune=commune(VAN_HIEN),
                category=Finding.Category.LOW_ONLINE_INTAKE,
                text="Tỷ lệ tiếp nhận trực tuyến thấp",
                agency_to_act=agency(f"{VAN_HIEN}.01.H40"),
            ),
        )
    with clock.fixed_at(at(3, 12)):
        services.conclude_inspection(
            secretary,
            inspection,
            number="125/TB-UBND",
            date=dt.date(2026, 3, 12),
            summary="Kết luận",
            text="Các xã vận hành ổn định.",
        )
        directive = services.issue_directive(
            secretary,
            inspection,
            services.DirectiveSpec(
                title="Nâng tỷ lệ tiếp nhận trực tuyến",
                lead_agency=agency(f"{VAN_HIEN}.01.H40"),
                supporting_agencies=[agency(HOME_AFFAIRS)],
                deadline=dt.date(2026, 6, 30),
                expected_result="Từ 40 % trở lên",
                findings=[finding],
                target=services.TargetSpec(
                    measure_key="kpi.online_intake_rate",
                    unit=commune(VAN_HIEN),
                    period_start=dt.date(2026, 4, 1),
                    period_end=dt.date(2026, 6, 30),
                    comparison=Comparison.AT_LEAST,
                    threshold=Decimal(40),
                ),
                subtasks=[
                    services.DirectiveSpec(
                        title="Hướng dẫn người dân",
                        lead_agency=agency(f"{VAN_HIEN}.01.H40"),
                        deadline=dt.date(2026, 5, 15),
                    )
                ],
            ),
        )
        services.post_update(
            User.objects.get(username=LEAD),
            directive,
            text="Đã tổ chức hướng dẫn",
            percent=20,
            papers=[SimpleUploadedFile("bao-cao.pdf", PDF)],
        )
    return {"inspection": inspection.pk, "directive": directive.pk}


def pages(world: dict) -> dict[str, tuple]:
    """For each page name: who reads it and how it is asked for. The two forms' answers are
    here as refusals: an empty update, and closing as achieved with the target unmet."""
    directive = f"/desk/giam-sat/nhiem-vu/{world['directive']}/"
    return {
        "desk:oversight:follow_up": (SECRETARY, "get", "/desk/giam-sat/theo-doi/", {}),
        "desk:oversight:directive_list": (SECRETARY, "get", "/desk/giam-sat/nhiem-vu/", {}),
        "desk:oversight:directive_start": (SECRETARY, "get", "/desk/giam-sat/nhiem-vu/moi/", {}),
        "desk:oversight:issue_directive": (
            SECRETARY,
            "get",
            f"/desk/giam-sat/dot-kiem-tra/{world['inspection']}/nhiem-vu/moi/",
            {},
        ),
        "desk:oversight:directive": (SECRETARY, "get", directive, {}),
        "desk:oversight:post_update": (LEAD, "post", directive + "cap-nhat/", {"text": ""}),
        "desk:oversight:close_directive": (
            SECRETARY,
            "post",
            directive + "dong/",
            # the result typed is shown back: words the records hold, so data, not page text
            {"outcome": "achieved", "result": "Từ 40 % trở lên"},
        ),
    }
