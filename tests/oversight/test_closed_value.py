"""A closed directive shows the value its target stood at when it was closed, stored by the close
in the same transaction and audited; and every oversight figure is shown one way."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from haicap.core import clock
from haicap.core.measures import Comparison, Measure, Unit, measures
from haicap.core.models import AuditRecord
from haicap.core.task_status import Outcome
from haicap.oversight import services
from haicap.oversight.models import DirectiveTarget, Finding
from haicap.oversight.pack_files import figure, printed
from tests.conftest import client_for
from tests.oversight.conftest import VAN_HIEN, agency, at, commune

pytestmark = pytest.mark.django_db

STEP = Decimal("21.3125")  # the measure: 21.3125 % per finding recorded in the commune


def _per_finding(unit_id, field_code, start, end) -> Decimal | None:
    found = Finding.objects.filter(commune_id=unit_id).count()
    return STEP * found if found else None


@pytest.fixture
def findings_measure():
    measure = measures.register(
        Measure("test.findings_share", "Findings share", Unit.PERCENT, False, _per_finding)
    )
    yield measure
    measures.forget(measure)


@pytest.fixture
def targeted(people, visit, findings_measure):
    with clock.fixed_at(at(3, 12)):
        return services.issue_directive(
            people.secretary,
            visit.inspection,
            services.DirectiveSpec(
                title="Giảm phát hiện tại xã Văn Hiến",
                lead_agency=agency(f"{VAN_HIEN}.01.H40"),
                deadline=dt.date(2026, 6, 30),
                target=services.TargetSpec(
                    measure_key=findings_measure.key,
                    unit=commune(VAN_HIEN),
                    period_start=dt.date(2026, 3, 1),
                    period_end=dt.date(2026, 3, 31),
                    comparison=Comparison.AT_LEAST,
                    threshold=Decimal(40),
                ),
            ),
        )


def test_closing_stores_the_value_and_the_page_shows_it_not_the_live_one(people, visit, targeted):
    page = reverse("desk:oversight:directive", args=[targeted.pk])
    with clock.fixed_at(at(3, 20)):
        open_page = client_for(people.secretary.username).get(page).content.decode()
        assert "Giá trị hiện tại" in open_page and "21,3 %" in open_page  # one finding
        services.close_directive(
            people.secretary,
            targeted,
            outcome=Outcome.NOT_ACHIEVED,
            result="Chưa đạt",
            reason="Còn phát hiện mới",
        )
    target = DirectiveTarget.objects.get(directive=targeted)
    assert target.value_at_close == Decimal("21.31")
    audit = AuditRecord.objects.filter(action="directive.closed").latest("pk")
    assert audit.after["target_value"] in ("21.31", 21.31, Decimal("21.31"))
    # a second finding moves the live figure to 42.625 %, which would now meet the target
    Finding.objects.create(
        inspection=visit.inspection,
        commune=commune(VAN_HIEN),
        category=Finding.Category.LOW_ONLINE_INTAKE,
        text="Phát hiện sau khi đóng",
        recorded_at=at(3, 21),
        agency_to_act=agency(f"{VAN_HIEN}.01.H40"),
    )
    with clock.fixed_at(at(3, 21)):
        closed_page = client_for(people.secretary.username).get(page).content.decode()
    assert "Giá trị khi đóng" in closed_page and "Giá trị hiện tại" not in closed_page
    assert "21,3 %" in closed_page and "42,6 %" not in closed_page
    assert "40,0 %" in closed_page


@pytest.mark.parametrize(
    ("value", "percent", "shown"),
    [
        (Decimal("21.3125"), True, "21,3 %"),
        (Decimal("32.85"), True, "32,9 %"),  # half up, not truncated
        (Decimal("32.8"), False, "32,8"),
        (21511, False, "21.511"),
        (Decimal("21511"), False, "21.511"),  # a count read as a decimal
        (Decimal(40), True, "40,0 %"),
    ],
)
def test_every_oversight_figure_is_shown_one_way(value, percent, shown):
    with translation.override("vi"):
        assert figure(value, percent=percent) == shown


def test_the_pack_prints_counts_grouped_and_rates_with_one_decimal():
    with translation.override("vi"):
        assert printed(21511) == "21.511"
        assert printed(Decimal("32.8")) == "32,8"
        assert printed(Decimal("21.31")) == "21,3"
