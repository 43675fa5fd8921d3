"""The province's report pages for the language check (``tests/test_translations.py``): the
November 2026 of ``province_world`` (six communes, each standing otherwise), read by the
Department of Home Affairs' reviewer: the overview, the period, the trend of Đô Lương, and two
decisions refused (a return without its note, an approval of a report approved already)."""

from haicap.reports.models import ReportTemplate
from tests.reports import province_world, world

REVIEWER = "chuyenvien.sonoivu"
PROVINCE = "/desk/bao-cao-dinh-ky/tinh/"

NOT_PAGES = {
    "desk:reports:consolidated": "an Excel file (read in tests/reports/test_consolidated.py)",
    "desk:reports:trend_chart": "an SVG chart (its words read in tests/reports/test_trends.py)",
}

# The template's own words: the province's form, in Vietnamese in every language.
RECORDS = ((ReportTemplate, ("name",)),)
_CELLS = [c for s in world.DEFINITION["sections"] for c in s["cells"]]
TEXTS = (
    *(c["label"] for c in _CELLS),
    *(c["unit"] for c in _CELLS if c.get("unit")),
    *(column["label"] for c in _CELLS for column in c.get("columns", ())),
)


def world_of_pages() -> dict:
    made = province_world.november()
    return {
        "do_luong": world.unit(world.DO_LUONG).pk,
        "approved": made.reports[province_world.DO_LUONG].pk,
        "submitted": made.reports[province_world.VAN_HIEN].pk,
    }


def pages(made: dict) -> dict[str, tuple]:
    period = province_world.period_url()
    return {
        "desk:reports:overview": (REVIEWER, "get", PROVINCE, {}),
        "desk:reports:period": (REVIEWER, "get", period, {"standing": "", "state": ""}),
        "desk:reports:trends": (
            REVIEWER,
            "get",
            f"{PROVINCE}{world.CODE}/xu-huong/",
            {
                "cell": "received",
                "commune": str(made["do_luong"]),
                "first": "2026-06-01",
                "last": "2026-11-01",
            },
        ),
        # refused: a return without saying what to correct
        "desk:reports:return": (
            REVIEWER,
            "post",
            f"/desk/bao-cao-dinh-ky/{made['submitted']}/tra-lai/",
            {"note": ""},
        ),
        # refused: the report was approved already
        "desk:reports:approve": (
            REVIEWER,
            "post",
            f"/desk/bao-cao-dinh-ky/{made['approved']}/duyet/",
            {"note": ""},
        ),
    }
