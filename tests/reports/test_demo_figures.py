"""The demo's report figures (pure): whatever the commune's level and the seed, a month keeps the
template's rules; a level shared among former communes adds up to the level; and the standard
templates read as the reports app reads them, their sources registered."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from haicap.core.report_sources import report_sources
from haicap.reports import definition, demo_figures, values
from haicap.reports import standard_templates as standard
from haicap.reports.demo_figures import Level
from haicap.reports.values import Entry

levels = st.builds(
    Level,
    officers=st.integers(0, 400),
    received=st.integers(0, 5000),
    online_share=st.floats(0, 1),
    on_time_share=st.floats(0, 1),
    petitions=st.floats(0, 50),
    staffing_gap=st.integers(0, 30),
)


def seeded(seed: int) -> random.Random:
    return random.Random(seed)  # noqa: S311  (illustrative figures)


def entries_of(figures: dict, table: list[tuple[str, int]], texts: bool = True) -> dict:
    found = {key: Entry(value=value) for key, value in figures.items()}
    found["by_field"] = Entry(value=tuple({"field": n, "received": c} for n, c in table))
    if texts:
        found.update(
            assessment=Entry(value=standard.ASSESSMENTS[0]),
            difficulties=Entry(value="Thiếu máy quét."),
            proposals=Entry(value="Đề nghị cấp máy quét."),
        )
    return found


@settings(max_examples=200, deadline=None)
@given(levels, st.integers(0, 10**6))
def test_a_month_keeps_every_rule_of_both_versions(level, seed):
    rnd = seeded(seed)
    figures = demo_figures.month(level, rnd)
    table = demo_figures.by_field(int(figures["received"]), rnd)
    assert sum(count for _name, count in table) == figures["received"]
    assert all(count > 0 for _name, count in table)
    assert all(v is None or v >= 0 for v in figures.values())
    for template in (standard.V1, standard.V2):
        parsed = definition.parse(template.definition)
        entries = {k: e for k, e in entries_of(figures, table).items() if parsed.cell(k)}
        assert values.issues(parsed, entries) == []


@settings(max_examples=200, deadline=None)
@given(levels, st.lists(st.floats(0.5, 2), min_size=1, max_size=12))
def test_a_level_shared_among_former_communes_adds_up_to_it(level, weights):
    parts = demo_figures.shares(level, weights)
    assert len(parts) == len(weights)
    assert sum(p.officers for p in parts) == level.officers
    assert sum(p.received for p in parts) == level.received
    assert sum(p.staffing_gap for p in parts) == level.staffing_gap
    assert abs(sum(p.petitions for p in parts) - level.petitions) < 1e-6
    total = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        assert abs(part.received - level.received * weight / total) < 1


def test_a_month_without_dossiers_has_no_rates_of_them():
    empty = Level(officers=5, received=0, online_share=0.5, on_time_share=0.9, petitions=0)
    figures = demo_figures.month(empty, seeded(1))
    assert figures["received"] == figures["resolved"] == 0
    assert figures["on_time_rate"] is None and figures["petitions_on_time"] is None
    assert demo_figures.by_field(0, seeded(1)) == []


def test_the_standard_templates_read_and_name_registered_sources():
    before, since = (definition.parse(t.definition) for t in (standard.V1, standard.V2))
    # what existed before the reform keeps its key, so a series runs across it
    assert set(before.number_keys) <= set(since.number_keys)
    assert {c.key for c in before.cells if c.highlight} == {"difficulties", "proposals"}
    assert all(c.required for c in since.cells if c.highlight)
    assert {r.key for r in since.rules} == {
        "online_within_received",
        "on_time_within_resolved",
        "fields_add_up",
    }
    sources = {c.source.key for c in since.cells if c.source}
    assert all(report_sources.get(key) is not None for key in sources)
    assert {
        "staffing.officers",
        "staffing.gap",
        "assets.equipment_gap",
        "budget.disbursement_rate",
        "feedback.petitions_received",
        "kpi.received",
    } <= sources
    assert not any(c.source for c in before.cells)  # the former communes typed theirs
