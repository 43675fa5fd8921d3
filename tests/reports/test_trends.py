"""Trends across the reform: a commune's figure period by period, before 1 July 2025 the sum of
the former communes it was formed from (the units' lineage), each unit's latest counted
submission; a sum leaving a former commune out (nothing counted, or divided) marked partial."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haicap.core import clock
from haicap.reports import chart, schedule
from haicap.reports.models import Report
from haicap.reports.province_forms import period_count
from haicap.reports.schedule import PeriodKind
from haicap.reports.services import templates
from haicap.units.models import UnitLineage
from haicap.units.services import REFORM_DATE
from tests.reports import province_world as pw
from tests.reports import world
from tests.reports.page_reading import marked, rows, text

pytestmark = pytest.mark.django_db

URL = f"/desk/bao-cao-dinh-ky/tinh/{world.CODE}/xu-huong/"
CHART = f"{URL}bieu-do.svg"
# The nine former communes the commune of Đô Lương was formed from (units' lineage).
DO_LUONG_FORMERS = (
    "Bắc Sơn",
    "Nam Sơn",
    "Đà Sơn",
    "Đặng Sơn",
    "Lưu Sơn",
    "Thịnh Sơn",
    "Văn Sơn",
    "Yên Sơn",
    "Đô Lương",
)
MARCH, APRIL, MAY, JUNE = (dt.date(2025, month, 1) for month in (3, 4, 5, 6))
JULY, AUGUST, SEPTEMBER = (dt.date(2025, month, 1) for month in (7, 8, 9))


def versions():
    """The template before the reform, filed by the former communes, then after it, filed by
    the new ones (the same code and cell keys)."""
    before = templates.publish(
        None,
        code=world.CODE,
        name="Báo cáo kiểm thử hằng tháng (trước sắp xếp)",
        period_kind="month",
        due_days=5,
        late_after_days=7,
        definition=world.DEFINITION,
        in_force_from=dt.date(2025, 1, 1),
        filers=[world.former(name) for name in DO_LUONG_FORMERS],
    )
    return before, world.publish()


def received(number: int, field_count: int | None = None) -> dict:
    return {
        "received": str(number),
        "by_field": [{"field": "Hộ tịch", "received": str(field_count or number)}],
    }


def do_luong_history() -> dict:
    """March: all nine former communes counted (1 to 9 dossiers); April: Yên Sơn silent; May:
    Nam Sơn's report returned; June: nothing; then Đô Lương's own: July approved (50), August
    submitted twice (40, then 55), September nothing."""
    before, after = versions()
    formers = {name: world.former(name) for name in DO_LUONG_FORMERS}
    for number, name in enumerate(DO_LUONG_FORMERS, start=1):
        pw.counted_report(before, formers[name].pk, MARCH, received(number))
        if name != "Yên Sơn":
            pw.counted_report(before, formers[name].pk, APRIL, received(10 * number))
        state = Report.State.RETURNED if name == "Nam Sơn" else Report.State.APPROVED
        pw.counted_report(before, formers[name].pk, MAY, received(100, 7), state=state)
    do_luong = world.unit(world.DO_LUONG)
    pw.counted_report(after, do_luong.pk, JULY, received(50))
    pw.counted_report(after, do_luong.pk, AUGUST, received(40), state=Report.State.SUBMITTED)
    pw.counted_report(after, do_luong.pk, AUGUST, received(55), state=Report.State.SUBMITTED)
    return {"formers": formers, "commune": do_luong}


def show(user, commune, key="received", first=MARCH, last=SEPTEMBER, language="en", url=URL):
    query = {
        "cell": key,
        "commune": str(commune.pk),
        "first": first.isoformat(),
        "last": last.isoformat(),
    }
    with clock.fixed_at(world.at(12, 20)):
        return world.signed_in(user, language).get(url, query)


def points(response) -> list[tuple[str, str, bool]]:
    """Each period's row: (its name, its value, whether it is marked partial)."""
    found = []
    for row in rows(text(response), "point"):
        name = re.search(r"<td>(.*?)</td>", row).group(1)
        value = marked(row, "value").removesuffix(" partial").strip()
        found.append((name, value, 'data-partial="1"' in row))
    return found


def test_before_the_reform_a_commune_is_the_sum_of_its_former_communes():
    made = do_luong_history()
    response = show(world.people().reviewer, made["commune"])
    assert response.status_code == 200
    assert points(response) == [
        ("Month 3/2025", "45", False),  # 1 + 2 + … + 9
        ("Month 4/2025", str(10 * (45 - 8)), True),  # Yên Sơn (the 8th) filed nothing
        ("Month 5/2025", str(100 * 8), True),  # Nam Sơn's was returned: not counted
        ("Month 6/2025", "—", True),  # nobody filed
        ("Month 7/2025", "50", False),  # Đô Lương's own
        ("Month 8/2025", "55", False),  # its latest submission
        ("Month 9/2025", "—", False),
    ]
    page = text(response)
    april = rows(page, "point")[1]
    assert marked(april, "missing") == "filed nothing counted: Yên Sơn"
    may = rows(page, "point")[2]
    assert "Nam Sơn" in marked(may, "missing")


def test_a_former_commune_divided_between_communes_is_left_out_and_named():
    made = do_luong_history()
    bac_son = made["formers"]["Bắc Sơn"]
    UnitLineage.objects.create(
        predecessor=bac_son, successor=world.unit(world.VAN_HIEN), effective_date=REFORM_DATE
    )
    response = show(world.people().reviewer, made["commune"], last=MARCH)
    assert points(response) == [("Month 3/2025", str(45 - 1), True)]  # Bắc Sơn's 1 left out
    march = rows(text(response), "point")[0]
    assert marked(march, "divided") == "divided between several communes: Bắc Sơn"
    assert "missing" not in march


def test_a_table_column_follows_the_same_lineage():
    made = do_luong_history()
    response = show(world.people().reviewer, made["commune"], key="by_field.received", last=MAY)
    assert [(name, value) for name, value, _partial in points(response)] == [
        ("Month 3/2025", "45"),
        ("Month 4/2025", "370"),
        ("Month 5/2025", str(7 * 8)),
    ]


def test_a_figure_with_decimals_is_written_the_readers_way():
    _before, after = versions()
    do_luong = world.unit(world.DO_LUONG)
    pw.counted_report(after, do_luong.pk, JULY, {"meetings": "2,50"})
    reviewer = world.people().reviewer
    for language, written in (("vi", "2,5"), ("en", "2.5")):
        response = show(reviewer, do_luong, "meetings", JULY, JULY, language=language)
        assert [value for _name, value, _partial in points(response)] == [written]


def test_the_chart_draws_the_series_and_marks_partial_points():
    made = do_luong_history()
    response = show(world.people().supervisor, made["commune"], language="vi", url=CHART)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    svg = response.content.decode()
    assert "<script" not in svg
    assert "Số hồ sơ tiếp nhận · Đô Lương" in svg
    assert "Tổng một phần: có xã cũ không được cộng" in svg  # the partial points' legend
    for label in ("Tháng 3/2025", "Tháng 8/2025"):
        assert label in svg
    page = text(show(world.people().supervisor, made["commune"]))
    assert f'src="{CHART}?cell=received&commune={made["commune"].pk}' in page


def test_a_trend_asked_wrongly_is_said_in_the_readers_language():
    versions()
    reviewer = world.people().reviewer
    do_luong = world.unit(world.DO_LUONG)
    backwards = show(reviewer, do_luong, first=JULY, last=MARCH, language="vi")
    assert backwards.status_code == 422
    assert "Kỳ cuối phải sau kỳ đầu." in text(backwards)
    too_long = show(reviewer, do_luong, first=dt.date(2000, 1, 1), last=dt.date(2025, 1, 1))
    assert too_long.status_code == 422
    assert "at most 240 periods" in text(too_long)
    not_offered = show(reviewer, world.unit("17623"), first=MARCH, last=JULY)  # not a filer
    assert not_offered.status_code == 422
    assert show(reviewer, do_luong, key="assessment").status_code == 422  # not a number
    assert show(reviewer, do_luong, first=JULY, last=MARCH, url=CHART).status_code == 422


def test_a_first_visit_shows_the_last_two_years_the_template_was_in_force():
    versions()  # in force from January 2025
    with clock.fixed_at(world.at(12, 20)):
        response = world.signed_in(world.people().reviewer).get(URL)
    assert response.status_code == 200
    found = points(response)
    # two years back from November 2026 is November 2024, before the template: from January
    assert (found[0][0], found[-1][0], len(found)) == ("Month 1/2025", "Month 11/2026", 23)


def test_trends_are_the_provinces_only():
    versions()
    people = world.people()
    do_luong = world.unit(world.DO_LUONG)
    assert show(people.do_luong_leader, do_luong).status_code == 404
    assert show(people.do_luong_leader, do_luong, url=CHART).status_code == 404
    assert show(people.finance, do_luong).status_code == 404
    other = "/desk/bao-cao-dinh-ky/tinh/khong-co/xu-huong/"
    assert show(people.reviewer, do_luong, url=other).status_code == 404


# -- the chart's pure parts ------------------------------------------------------------------------


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2))
def test_a_figure_on_the_chart_reads_back_as_itself(value):
    for mark, thousands in ((",", " "), (".", ",")):
        written = chart.number_text(float(value), mark)
        back = written.replace(thousands, "").replace(mark, ".")
        assert Decimal(back) == value


def test_the_partial_series_holds_only_the_partial_points():
    text_ = chart.TrendText("T", ["a", "b", "c"], "Series", "Partial", "")
    svg = chart.render(text_, [Decimal(1), Decimal(2), None], [False, True, True]).decode()
    assert "<script" not in svg
    # pygal writes each drawn value once per series: 1 and 2 in the series, 2 in the partial
    values = re.findall(r'<desc class="value">([^<]*)</desc>', svg)
    assert sorted(values) == ["1", "2", "2"]


def test_a_share_is_not_offered_since_former_communes_shares_do_not_add_up():
    with_share = {
        **world.DEFINITION,
        "sections": [
            *world.DEFINITION["sections"],
            {
                "key": "ty_le",
                "title": "Tỷ lệ",
                "cells": [
                    {
                        "key": "on_time_rate",
                        "label": "Tỷ lệ đúng hạn",
                        "kind": "number",
                        "unit": "%",
                    }
                ],
            },
        ],
    }
    world.publish(with_share)
    reviewer = world.people().reviewer
    do_luong = world.unit(world.DO_LUONG)
    with clock.fixed_at(world.at(12, 20)):
        page = world.signed_in(reviewer).get(URL)
    assert page.status_code == 200
    assert 'value="received"' in text(page)
    assert 'value="on_time_rate"' not in text(page)
    assert show(reviewer, do_luong, key="on_time_rate").status_code == 422


# -- spans out of reach ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "first, last",
    [
        (dt.date(9999, 12, 1), dt.date(9999, 12, 31)),
        (dt.date(2025, 1, 1), dt.date(9999, 12, 31)),
        (dt.date(3000, 1, 1), dt.date(3000, 2, 1)),
    ],
)
def test_a_day_haicap_cannot_reckon_in_is_refused_by_the_form(first, last):
    versions()
    reviewer = world.people().reviewer
    do_luong = world.unit(world.DO_LUONG)
    response = show(reviewer, do_luong, first=first, last=last, language="vi")
    assert response.status_code == 422
    assert "Hãy chọn một ngày từ năm 2000 đến năm 2999." in text(response)
    assert show(reviewer, do_luong, first=first, last=last, url=CHART).status_code == 422


def test_a_span_too_long_is_refused_without_walking_through_its_periods(monkeypatch):
    versions()
    reviewer = world.people().reviewer
    walked = []
    real = schedule.periods_between
    monkeypatch.setattr(
        schedule, "periods_between", lambda *a: walked.append(a) or real(*a), raising=True
    )
    response = show(
        reviewer, world.unit(world.DO_LUONG), first=dt.date(2000, 1, 1), last=dt.date(2999, 12, 31)
    )
    assert response.status_code == 422
    assert "at most 240 periods" in text(response)
    assert walked == []


@given(
    st.sampled_from(list(PeriodKind)),
    st.dates(dt.date(2000, 1, 1), dt.date(2999, 12, 31)),
    st.integers(0, 3000),
)
def test_the_count_of_periods_is_that_of_the_periods_between(kind, first, days):
    last = min(first + dt.timedelta(days=days), dt.date(2999, 12, 31))
    for one, other in ((first, last), (last, first)):  # backwards too: none, or the one
        assert period_count(kind, one, other) == len(schedule.periods_between(kind, one, other))


def test_a_year_ending_after_the_reform_is_the_new_communes_own():
    """The year 2025 ends on 31 December: the new commune files it (the units in force on a
    period's last day file it), so the trend reads its own report, not its former communes'."""
    yearly = world.publish(
        code="kiem-thu-nam", period_kind="year", in_force_from=dt.date(2024, 1, 1)
    )
    do_luong = world.unit(world.DO_LUONG)
    bac_son = world.former("Bắc Sơn")
    year_2024, year_2025 = dt.date(2024, 1, 1), dt.date(2025, 1, 1)
    pw.counted_report(yearly, bac_son.pk, year_2024, received(8), end=dt.date(2024, 12, 31))
    pw.counted_report(yearly, do_luong.pk, year_2025, received(600), end=dt.date(2025, 12, 31))
    url = "/desk/bao-cao-dinh-ky/tinh/kiem-thu-nam/xu-huong/"
    response = show(world.people().reviewer, do_luong, first=year_2024, last=year_2025, url=url)
    assert response.status_code == 200
    (_, before, before_partial), (_, own, own_partial) = points(response)
    assert (own, own_partial) == ("600", False)
    assert (before, before_partial) == ("8", True)  # Bắc Sơn's, the eight others silent


def test_a_figure_the_older_version_held_as_a_share_is_not_summed_as_a_count():
    """Before the reform "online" was the former communes' share of dossiers sent online;
    since, the commune's count of them: the trend of the count leaves the shares out."""
    share = {"key": "online", "label": "Tỷ lệ trực tuyến", "kind": "number", "unit": "%"}
    count = {"key": "online", "label": "Số hồ sơ trực tuyến", "kind": "number", "unit": "hồ sơ"}

    def with_cell(cell: dict) -> dict:
        sections = [dict(s, cells=list(s["cells"])) for s in world.DEFINITION["sections"]]
        sections[0]["cells"].append(cell)
        return {**world.DEFINITION, "sections": sections}

    before = templates.publish(
        None,
        code=world.CODE,
        name="Báo cáo kiểm thử hằng tháng (trước sắp xếp)",
        period_kind="month",
        due_days=5,
        late_after_days=7,
        definition=with_cell(share),
        in_force_from=dt.date(2025, 1, 1),
        filers=[world.former(name) for name in DO_LUONG_FORMERS],
    )
    after = world.publish(with_cell(count))
    for name in DO_LUONG_FORMERS:
        pw.counted_report(before, world.former(name).pk, JUNE, {"online": "40"})
    do_luong = world.unit(world.DO_LUONG)
    pw.counted_report(after, do_luong.pk, JULY, {"online": "8"})
    response = show(world.people().reviewer, do_luong, key="online", first=JUNE, last=JULY)
    assert response.status_code == 200
    assert [(value, partial) for _name, value, partial in points(response)] == [
        ("—", True),  # nine shares of 40 %, not 360 dossiers
        ("8", False),
    ]


def test_the_first_visits_dates_are_in_the_form_a_date_box_reads():
    versions()
    with clock.fixed_at(world.at(12, 20)):
        page = text(world.signed_in(world.people().reviewer, "vi").get(URL))
    boxes = re.findall(r'<input type="date" name="(first|last)" value="([^"]*)"', page)
    assert boxes == [("first", "2024-11-01"), ("last", "2026-11-01")]
