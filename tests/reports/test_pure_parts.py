"""The reports app's pure cores: template definitions, cell values and rules, the schedule and
reporting rates, the series across the reform."""

import copy
import datetime as dt
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haicap.core.periods import Period
from haicap.reports import definition, lineage, schedule, standard_templates, values
from haicap.reports.definition import DefinitionError, Op, Rule
from haicap.reports.schedule import PeriodKind, Standing
from haicap.reports.values import Entry, InputError, IssueKind, Reading
from tests.reports.world import DEFINITION

PARSED = definition.parse(DEFINITION)
MOMENT = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)


# -- definitions ------------------------------------------------------------------------------


def test_a_definition_reads_back_what_it_stores():
    assert definition.parse(definition.to_data(PARSED)) == PARSED
    assert PARSED.number_keys == (
        "received",
        "received_online",
        "resolved",
        "by_field.received",
        "meetings",
    )


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        ([], "at least one section"),
        (
            [{"key": "A", "title": "x", "cells": [{"key": "a", "label": "a", "kind": "text"}]}],
            "key",
        ),
        ([{"key": "a", "title": "x", "cells": []}], "at least one cell"),
        (
            [{"key": "a", "title": "x", "cells": [{"key": "a", "label": "a", "kind": "date"}]}],
            "number, text, choice, table",
        ),
        (  # a key's pattern holds to its end: a line break after it is no part of a key
            [{"key": "a", "title": "x", "cells": [{"key": "a\n", "label": "a", "kind": "text"}]}],
            "a key is 1 to 40",
        ),
        (
            [
                {
                    "key": "a",
                    "title": "x",
                    "cells": [{"key": "c", "label": "c", "kind": "choice", "choices": ["one"]}],
                }
            ],
            "two or more",
        ),
        (
            [
                {
                    "key": "a",
                    "title": "x",
                    "cells": [
                        {"key": "t", "label": "t", "kind": "text", "source": {"key": "kpi.x"}}
                    ],
                }
            ],
            "only a number cell",
        ),
        (
            [
                {
                    "key": "a",
                    "title": "x",
                    "cells": [{"key": "n", "label": "n", "kind": "number", "highlight": True}],
                }
            ],
            "only a text cell",
        ),
        (
            [
                {
                    "key": "a",
                    "title": "x",
                    "cells": [
                        {
                            "key": "t",
                            "label": "t",
                            "kind": "table",
                            "columns": [{"key": "c", "label": "c", "kind": "choice"}],
                        }
                    ],
                }
            ],
            "a number or a text",
        ),
    ],
)
def test_a_broken_definition_says_what_is_wrong(broken, expected):
    with pytest.raises(DefinitionError) as refused:
        definition.parse({"sections": broken})
    assert expected in str(refused.value)


def test_the_source_check_is_asked_about_every_source():
    asked = []

    def check(key, params):
        asked.append((key, dict(params)))
        return ["unknown"] if key == "kpi.received_online" else []

    with pytest.raises(DefinitionError) as refused:
        definition.parse(DEFINITION, check)
    assert [key for key, _params in asked] == [
        "kpi.received",
        "kpi.received_online",
        "kpi.resolved",
    ]
    assert [p.where for p in refused.value.problems] == ["sections[0].cells[1].source"]


# Where each kind of text sits in the tests' definition, and how to put one there.
TEXT_PLACES = {
    "sections[1].title": lambda d, t: d["sections"][1].update(title=t),
    "sections[0].cells[0].label": lambda d, t: d["sections"][0]["cells"][0].update(label=t),
    "sections[0].cells[0].unit": lambda d, t: d["sections"][0]["cells"][0].update(unit=t),
    "sections[1].cells[0].choices[1]": lambda d, t: d["sections"][1]["cells"][0][
        "choices"
    ].__setitem__(1, t),
    "sections[0].cells[3].columns[0].label": lambda d, t: d["sections"][0]["cells"][3]["columns"][
        0
    ].update(label=t),
    "sections[1].cells[1].help": lambda d, t: d["sections"][1]["cells"][1].update(help=t),
    "rules[1].message": lambda d, t: d["rules"][1].update(message=t),
    "sections[0].cells[0].source": lambda d, t: d["sections"][0]["cells"][0]["source"].update(
        params={"field": t}
    ),
}
REFUSED = st.characters(categories=["Cc"], exclude_characters="\t\n\r") | st.sampled_from(
    ["\ufffe", "\ufdd0", "\U0001ffff", "\ud800"]
)


@given(
    place=st.sampled_from(sorted(TEXT_PLACES)),
    char=REFUSED | st.sampled_from(["\t", "\n", "\r"]),
    at=st.integers(1, 4),
)
def test_a_text_holding_a_character_that_cannot_be_stored_is_refused_where_it_is(place, char, at):
    data = copy.deepcopy(DEFINITION)
    TEXT_PLACES[place](data, "Hộ tịch"[:at] + char + "Hộ tịch"[at:])
    if place.endswith(".help") and char in "\t\n\r":  # a help text may run over lines
        assert definition.parse(data).cell("difficulties").help.count(char) == 1
        return
    with pytest.raises(DefinitionError) as refused:
        definition.parse(data)
    found = [p for p in refused.value.problems if p.where.startswith(place)]
    assert found, refused.value.problems
    assert f"(U+{ord(char):04X}) at position {at + 1}" in found[0].message


def test_a_rule_names_only_number_cells_and_columns():
    data = {
        **DEFINITION,
        "rules": [
            {
                "key": "r",
                "left": ["difficulties"],
                "op": "=",
                "right": ["by_field.field"],
                "message": "m",
            }
        ],
    }
    with pytest.raises(DefinitionError) as refused:
        definition.parse(data)
    text = str(refused.value)
    assert "'difficulties' is not a number cell" in text
    assert "'by_field.field' is not a number cell" in text


# -- values and rules -------------------------------------------------------------------------


def reading(value: str | None) -> Reading:
    return Reading("kpi.received", {}, MOMENT, None if value is None else Decimal(value))


@pytest.mark.parametrize(
    ("text", "number"),
    [("12", Decimal(12)), (" 12,5 ", Decimal("12.5")), ("-3.25", Decimal("-3.25")), ("", None)],
)
def test_numbers_are_read_with_a_comma_or_a_point(text, number):
    assert values.parse_number(text) == number


@pytest.mark.parametrize("text", ["1.234.567", "12,5,1", "abc", "1e5", "1,23456", "١٢"])
def test_anything_else_is_not_a_number(text):
    with pytest.raises(values.NumberError):
        values.parse_number(text)


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("1.234", "1234"),
        ("12.345.678,5", "12345678,5"),
        ("-1.000", "-1000"),
        ("12.5", "12.5"),  # not grouped by three: left as typed
        ("1.23", "1.23"),
        ("1234", "1234"),
        ("1.2345", "1.2345"),
    ],
)
def test_thousands_dots_are_dropped_only_from_a_number_grouped_by_three(typed, read):
    assert values.ungrouped(typed) == read


@given(st.integers(0, 10**12))
def test_a_number_grouped_the_vietnamese_way_reads_as_itself(number):
    grouped = f"{number:,}".replace(",", ".")
    assert values.parse_number(values.ungrouped(grouped)) == number


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=4, allow_nan=False))
def test_a_number_written_back_reads_as_itself(number):
    assert values.parse_number(values.number_text(number)) == number


@given(
    left=st.lists(st.decimals(0, 10**6, places=2), min_size=1, max_size=4),
    right=st.decimals(0, 10**7, places=2),
    op=st.sampled_from(list(Op)),
)
def test_a_rule_compares_the_sums_of_its_sides(left, right, op):
    keys = tuple(f"c{i}" for i in range(len(left)))
    rule = Rule("r", keys, op, ("total",), "m")
    figures = dict(zip(keys, left, strict=True)) | {"total": right}
    total = sum(left, Decimal(0))
    expected = {Op.AT_MOST: total <= right, Op.AT_LEAST: total >= right, Op.EQUAL: total == right}
    assert values.rule_holds(rule, figures) is expected[op]


def test_a_rule_with_an_empty_side_is_not_judged():
    rule = Rule("r", ("a",), Op.EQUAL, ("b",), "m")
    assert values.rule_holds(rule, {"a": Decimal(1), "b": None}) is None


def test_a_value_that_differs_from_its_reading_is_an_override_with_its_difference():
    entry = Entry(Decimal(15), reading("12"))
    assert entry.overridden and entry.difference == Decimal(3)
    assert not Entry(Decimal(12), reading("12")).overridden
    assert Entry(Decimal(4), reading(None)).overridden
    assert Entry(Decimal(4), reading(None)).difference is None


def test_input_brought_back_to_the_reading_drops_its_reason():
    entries = {"received": values.prefilled(reading("12"))}
    entries, errors = values.read_input(PARSED, entries, {"received": "15"}, {"received": "giấy"})
    assert not errors and entries["received"].reason == "giấy"
    entries, errors = values.read_input(PARSED, entries, {"received": "12"}, {})
    assert not errors and entries["received"] == values.prefilled(reading("12"))


def test_emptying_an_override_brings_the_cell_back_to_haicaps_figure():
    entries = {"received": Entry(Decimal(15), reading("12"), "giấy")}
    entries, errors = values.read_input(PARSED, entries, {"received": " "}, {"received": "giấy"})
    assert not errors
    assert entries["received"] == values.prefilled(reading("12"))
    # a cell with no reading is emptied as asked
    entries, _errors = values.read_input(
        PARSED, {"meetings": Entry(Decimal(2))}, {"meetings": ""}, {}
    )
    assert entries["meetings"] == Entry(None)


def test_input_errors_are_named_by_cell_and_leave_the_cell_as_it_was():
    entries = {"meetings": Entry(Decimal(2))}
    given_input = {
        "meetings": "hai",
        "assessment": "Rất tốt",
        "by_field": "not rows",
        "difficulties": "x" * (values.MAX_TEXT + 1),
    }
    after, errors = values.read_input(PARSED, entries, given_input, {})
    assert errors == {
        "meetings": InputError.NOT_A_NUMBER,
        "assessment": InputError.NOT_OFFERED,
        "by_field": InputError.NOT_A_TABLE,
        "difficulties": InputError.TOO_LONG,
    }
    assert after["meetings"] == Entry(Decimal(2))


def test_empty_table_rows_are_dropped():
    rows = [{"field": "Hộ tịch", "received": "3"}, {"field": " ", "received": ""}]
    entries, errors = values.read_input(PARSED, {}, {"by_field": rows}, {})
    assert not errors
    assert entries["by_field"].value == ({"field": "Hộ tịch", "received": Decimal(3)},)


def test_issues_list_required_cells_reasons_and_broken_rules_in_order():
    entries = {
        "received": Entry(Decimal(5), reading("4")),
        "received_online": Entry(Decimal(9)),
        "assessment": Entry("Thông suốt"),
    }
    found = values.issues(PARSED, entries)
    assert [(i.kind, i.where) for i in found] == [
        (IssueKind.REASON, "received"),
        (IssueKind.REQUIRED, "difficulties"),
        (IssueKind.RULE, "online_within_received"),
    ]
    assert found[-1].message == "Số hồ sơ trực tuyến không lớn hơn tổng số hồ sơ tiếp nhận"


@given(
    st.lists(
        st.tuples(
            st.text(min_size=1, max_size=8),
            st.one_of(st.none(), st.decimals(0, 10**9, places=2)),
            st.lists(st.decimals(0, 10**6, places=0), max_size=4),
        ),
        max_size=6,
    )
)
def test_adding_up_gives_each_cells_sum_over_the_communes_that_gave_it(reports):
    given_reports = []
    for who, received, field_counts in reports:
        entries = {"received": Entry(received)}
        if field_counts:
            rows = tuple({"field": f"f{i}", "received": n} for i, n in enumerate(field_counts))
            entries["by_field"] = Entry(rows)
        given_reports.append((who, entries))
    totals = {t.key: t for t in values.add_up(PARSED, given_reports)}
    known = [r for _w, r, _f in reports if r is not None]
    assert totals["received"].total == (sum(known, Decimal(0)) if known else None)
    column = [sum(f, Decimal(0)) for _w, _r, f in reports if f]
    assert totals["by_field.received"].total == (sum(column, Decimal(0)) if column else None)
    assert len(totals["received"].parts) == len(reports)


def test_the_communes_shares_are_not_added_up_their_counts_are():
    with_share = definition.parse(
        {
            "sections": [
                {
                    "key": "a",
                    "title": "A",
                    "cells": [
                        {"key": "received", "label": "Nhận", "kind": "number"},
                        {"key": "rate", "label": "Tỷ lệ", "kind": "number", "unit": "%"},
                    ],
                }
            ]
        }
    )
    reports = [
        ("a", {"received": Entry(Decimal(10)), "rate": Entry(Decimal(90))}),
        ("b", {"received": Entry(Decimal(30)), "rate": Entry(Decimal(70))}),
    ]
    totals = {t.key: t for t in values.add_up(with_share, reports)}
    assert totals["received"].total == Decimal(40)
    assert totals["rate"].total is None  # 160 % would mean nothing
    assert totals["rate"].parts == (("a", Decimal(90)), ("b", Decimal(70)))
    assert definition.adds_up(with_share, "received")
    assert not definition.adds_up(with_share, "rate")
    assert definition.adds_up(PARSED, "by_field.received")


def _one_section(*cells: dict) -> definition.Definition:
    return definition.parse({"sections": [{"key": "a", "title": "A", "cells": list(cells)}]})


@given(st.integers(0, 10**6), st.integers(0, 10**6), st.integers(0, 100))
def test_a_figure_is_read_by_the_key_it_had_when_filed(received, meetings, share):
    """Filed on a version with "meetings" and a share "online"; shown on one where
    "meetings" is renamed "briefings" and "online" became a count: only "received" is the
    same figure; one version's own figures are its ``numbers``."""
    filed = _one_section(
        {"key": "received", "label": "Nhận", "kind": "number"},
        {"key": "meetings", "label": "Họp", "kind": "number"},
        {"key": "online", "label": "Tỷ lệ trực tuyến", "kind": "number", "unit": "%"},
    )
    shown = _one_section(
        {"key": "received", "label": "Nhận", "kind": "number"},
        {"key": "briefings", "label": "Giao ban", "kind": "number"},
        {"key": "online", "label": "Trực tuyến", "kind": "number", "unit": "hồ sơ"},
    )
    entries = {
        "received": Entry(Decimal(received)),
        "meetings": Entry(Decimal(meetings)),
        "online": Entry(Decimal(share)),
    }
    assert values.numbers_as(filed, entries, shown) == {
        "received": Decimal(received),
        "briefings": None,
        "online": None,
    }
    assert values.numbers_as(filed, entries, filed) == values.numbers(filed, entries)


@given(
    st.dictionaries(
        st.sampled_from(["received", "meetings", "assessment", "difficulties", "by_field"]),
        st.just(None),
    ),
    st.integers(0, 10**6),
)
def test_entries_survive_their_json(keys, number):
    entries = {
        "received": Entry(Decimal(number), reading(str(number + 1)), "vì sao"),
        "meetings": Entry(Decimal(number) / 100),
        "assessment": Entry("Thông suốt"),
        "difficulties": Entry("Thiếu người"),
        "by_field": Entry(({"field": "Đất đai", "received": Decimal(number)},)),
    }
    chosen = {k: entries[k] for k in keys}
    assert values.from_json(PARSED, values.to_json(PARSED, chosen)) == chosen


# -- schedule and rates -----------------------------------------------------------------------


@given(st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31)), st.sampled_from(list(PeriodKind)))
def test_every_day_lies_in_one_period_whose_neighbours_touch_it(day, kind):
    period = schedule.period_of(kind, day)
    assert period.start <= day <= period.end
    assert schedule.following(kind, period).start == period.end + dt.timedelta(days=1)
    assert schedule.previous(kind, period).end == period.start - dt.timedelta(days=1)
    assert schedule.is_period_start(kind, period.start)


def test_periods_are_named_as_vietnamese_reports_name_them():
    november = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert schedule.label_vi(PeriodKind.MONTH, november) == "tháng 11 năm 2026"
    q4 = schedule.period_of(PeriodKind.QUARTER, dt.date(2026, 11, 5))
    assert schedule.label_vi(PeriodKind.QUARTER, q4) == "quý IV năm 2026"
    h2 = schedule.period_of(PeriodKind.HALF_YEAR, dt.date(2026, 11, 5))
    assert schedule.label_vi(PeriodKind.HALF_YEAR, h2) == "6 tháng cuối năm 2026"


NOVEMBER = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
LIMITS = schedule.deadlines(NOVEMBER, 5, 7)


@pytest.mark.parametrize(
    ("submitted", "today", "expected"),
    [
        (None, dt.date(2026, 11, 20), Standing.NOT_DUE),
        (None, dt.date(2026, 12, 7), Standing.WAITING),
        (None, dt.date(2026, 12, 8), Standing.MISSING),
        (dt.date(2026, 12, 7), dt.date(2027, 1, 1), Standing.ON_TIME),
        (dt.date(2026, 12, 8), dt.date(2027, 1, 1), Standing.LATE),
        # submitted before the month ended (as a report once could be): not expected yet
        (dt.date(2026, 11, 25), dt.date(2026, 11, 30), Standing.NOT_DUE),
        (dt.date(2026, 11, 25), dt.date(2026, 12, 1), Standing.ON_TIME),
    ],
)
def test_a_commune_stands_by_its_first_submission_and_the_late_after_day(
    submitted, today, expected
):
    assert schedule.standing(NOVEMBER, LIMITS, submitted, today) == expected


def test_rates_count_only_reports_already_expected():
    standings = [
        Standing.ON_TIME,
        Standing.ON_TIME,
        Standing.ON_TIME,
        Standing.ON_TIME,
        Standing.LATE,
        Standing.MISSING,
        Standing.NOT_DUE,
    ]
    rates = schedule.rates(standings)
    assert (rates.expected, rates.filed, rates.on_time, rates.missing) == (6, 5, 4, 1)
    assert rates.completeness == Decimal("83.3")
    assert rates.timeliness == Decimal("66.7")
    assert schedule.rates([Standing.NOT_DUE]).completeness is None


DAYS = st.dates(dt.date(2024, 1, 1), dt.date(2030, 12, 31))


@given(
    day=DAYS,
    kind=st.sampled_from(list(PeriodKind)),
    due=st.integers(0, 20),
    grace=st.integers(0, 20),
    submitted=st.lists(st.none() | DAYS, max_size=8),
    before_end=st.integers(0, 800),
)
def test_a_period_not_ended_expects_nothing_whatever_was_submitted(
    day, kind, due, grace, submitted, before_end
):
    period = schedule.period_of(kind, day)
    limits = schedule.deadlines(period, due, due + grace)
    today = period.end - dt.timedelta(days=before_end)
    found = [schedule.standing(period, limits, first, today) for first in submitted]
    assert set(found) <= {Standing.NOT_DUE}
    assert schedule.rates(found).expected == 0
    # the day after it ends every commune is expected, and one that submitted has filed
    after = [schedule.standing(period, limits, first, period.end + dt.timedelta(days=1))
             for first in submitted]  # fmt: skip
    rates = schedule.rates(after)
    assert rates.expected == len(submitted)
    assert rates.filed == sum(first is not None for first in submitted)


def test_a_report_may_be_submitted_from_the_day_after_its_period():
    assert schedule.submit_from(NOVEMBER) == dt.date(2026, 12, 1)
    year = schedule.period_of(PeriodKind.YEAR, dt.date(2026, 5, 5))
    assert schedule.submit_from(year) == dt.date(2027, 1, 1)


@pytest.mark.parametrize(
    ("submitted", "today", "expected"),
    [
        (False, dt.date(2026, 12, 1), None),
        (False, dt.date(2026, 12, 2), schedule.Reminder.BEFORE_DUE),
        (False, dt.date(2026, 12, 5), schedule.Reminder.BEFORE_DUE),
        (False, dt.date(2026, 12, 6), schedule.Reminder.OVERDUE),
        (True, dt.date(2026, 12, 6), None),
    ],
)
def test_reminders_come_before_the_due_day_and_after_it(submitted, today, expected):
    assert schedule.reminder_due(LIMITS, submitted, today) == expected


def test_the_due_day_comes_no_later_than_the_late_after_day():
    with pytest.raises(ValueError):
        schedule.deadlines(NOVEMBER, 8, 7)


# -- the series across the reform -------------------------------------------------------------

REFORM = dt.date(2025, 7, 1)
JUNE, JULY = dt.date(2025, 6, 1), dt.date(2025, 7, 1)
JUNE_MONTH, JULY_MONTH = (schedule.period_of(PeriodKind.MONTH, day) for day in (JUNE, JULY))


def test_before_the_reform_a_commune_is_the_sum_of_the_communes_it_replaced():
    formers = [lineage.Former(11, 1), lineage.Former(12, 1), lineage.Former(13, 3)]
    figures = {
        (11, JUNE): Decimal(40),
        (12, JUNE): Decimal(25),
        (13, JUNE): Decimal(99),
        (1, JULY): Decimal(70),
    }
    june, july = lineage.series(1, formers, figures, [JUNE_MONTH, JULY_MONTH], REFORM)
    assert (june.value, june.from_units, june.divided, june.partial) == (
        Decimal(65),
        (11, 12),
        (13,),
        True,
    )
    assert (july.value, july.from_units, july.partial) == (Decimal(70), (1,), False)


def test_a_former_commune_that_filed_nothing_is_named_not_counted_as_zero():
    formers = [lineage.Former(11, 1), lineage.Former(12, 1)]
    (june,) = lineage.series(1, formers, {(11, JUNE): Decimal(40)}, [JUNE_MONTH], REFORM)
    assert (june.value, june.missing) == (Decimal(40), (12,))
    (none,) = lineage.series(1, formers, {}, [JUNE_MONTH], REFORM)
    assert none.value is None and none.missing == (11, 12)


@pytest.mark.parametrize("template", [standard_templates.V1, standard_templates.V2])
def test_the_demos_section_titles_carry_no_number_the_page_and_print_number_them(template):
    parsed = definition.parse(template.definition)
    assert [s.title for s in parsed.sections if re.match(r"^[IVXLC]+\.\s", s.title)] == []


@given(
    st.sampled_from(list(PeriodKind)),
    st.dates(dt.date(2023, 1, 1), dt.date(2027, 12, 31)),
)
def test_a_period_is_the_communes_own_when_it_ends_after_the_reform(kind, day):
    """Whoever files a period is decided on its last day (``selectors.expected_units``): the
    new commune files the year 2025, its second half and its third quarter; the former
    communes the months, the quarters and the half-year that ended by 30 June 2025."""
    period = schedule.period_of(kind, day)
    formers = [lineage.Former(11, 1)]
    figures = {(1, period.start): Decimal(7), (11, period.start): Decimal(5)}
    (point,) = lineage.series(1, formers, figures, [period], REFORM)
    if period.end >= REFORM:
        assert (point.value, point.from_units) == (Decimal(7), (1,))
    else:
        assert (point.value, point.from_units) == (Decimal(5), (11,))


@pytest.mark.parametrize(
    "kind, owner",
    [
        (PeriodKind.MONTH, 11),  # June 2025: before the reform
        (PeriodKind.QUARTER, 11),  # April to June
        (PeriodKind.HALF_YEAR, 11),  # January to June
        (PeriodKind.YEAR, 1),  # the whole of 2025, ending in December: the new commune's
    ],
)
def test_the_period_holding_30_june_2025_is_filed_by_whoever_stands_on_its_last_day(kind, owner):
    period = schedule.period_of(kind, dt.date(2025, 6, 30))
    figures = {(1, period.start): Decimal(7), (11, period.start): Decimal(5)}
    (point,) = lineage.series(1, [lineage.Former(11, 1)], figures, [period], REFORM)
    assert point.from_units == (owner,)
