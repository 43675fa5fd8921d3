"""What the oversight pages say in Vietnamese: an inspection's status in its own words, not a
dossier's, and the refusal of a share above 100 % written as Vietnamese writes it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from haicap.core import clock
from haicap.core.errors import InvalidInput
from haicap.core.measures import Comparison
from haicap.oversight import services
from haicap.oversight.models import Directive, DirectiveNotification, Finding, Inspection
from tests.conftest import client_for
from tests.oversight.conftest import DO_LUONG, HOME_AFFAIRS, agency, at, commune

pytestmark = pytest.mark.django_db


def test_an_inspection_in_progress_reads_as_being_inspected_not_as_a_dossier(people, group):
    with clock.fixed_at(at(4, 1)):
        inspection = services.plan_inspection(
            people.secretary, group, held_on=dt.date(2026, 4, 20), communes=[commune(DO_LUONG)]
        )
    with clock.fixed_at(at(4, 20)):
        services.start_inspection(people.secretary, inspection)
    page = client_for(people.secretary.username).get(f"/desk/giam-sat/kiem-tra/{inspection.pk}/")
    html = page.content.decode()
    state = html[html.index('data-testid="state"') :]
    assert state[state.index(">") + 1 : state.index("</span>")] == "Đang kiểm tra"
    with translation.override("vi"):
        assert str(Inspection.State.PLANNED.label) == "Đã lên kế hoạch"
        assert str(Inspection.State.CONCLUDED.label) == "Đã kết luận"
        assert translation.gettext("In progress") == "Đang giải quyết"  # a dossier's, unchanged


@pytest.mark.parametrize(
    "choices",
    [
        Inspection.State.choices,
        Finding.Category.choices,
        DirectiveNotification.Kind.choices,
        Directive._meta.get_field("close_outcome").choices,
    ],
)
def test_no_oversight_choice_reads_as_a_dossier_word_in_vietnamese(choices):
    """A dossier's "in progress" and "overdue" (its queues' words): no oversight choice may
    borrow them."""
    with translation.override("vi"):
        dossier_words = {translation.gettext("In progress"), translation.gettext("Overdue")}
        assert dossier_words == {"Đang giải quyết", "Quá hạn"}
        assert {str(label) for _value, label in choices} & dossier_words == set()


def test_a_target_share_above_100_is_refused_in_plain_vietnamese(people, visit):
    target = services.TargetSpec(
        measure_key="kpi.online_intake_rate",
        unit=commune(DO_LUONG),
        period_start=dt.date(2026, 4, 1),
        period_end=dt.date(2026, 6, 30),
        comparison=Comparison.AT_LEAST,
        threshold=Decimal(120),
    )
    spec = services.DirectiveSpec(
        title="Chỉ tiêu",
        lead_agency=agency(HOME_AFFAIRS),
        deadline=dt.date(2026, 6, 30),
        target=target,
    )
    with translation.override("vi"), clock.fixed_at(at(3, 12)):
        with pytest.raises(InvalidInput) as refused:
            services.issue_directive(people.secretary, visit.inspection, spec)
        assert refused.value.detail == "Tỷ lệ phải từ 0 đến 100%."
        with pytest.raises(InvalidInput) as refused:
            services.post_update(people.home_affairs, visit.staffing, text="Xong", percent=101)
        assert refused.value.detail == "Tỷ lệ phải từ 0 đến 100%."


def test_a_directive_names_the_commune_of_its_finding_with_its_kind(people, visit):
    client = client_for(people.secretary.username)
    with clock.fixed_at(at(3, 20)):
        page = client.get(f"/desk/giam-sat/nhiem-vu/{visit.staffing.pk}/").content.decode()
        form = client.get(f"/desk/giam-sat/dot-kiem-tra/{visit.inspection.pk}/nhiem-vu/moi/")
    assert "<strong>xã Đô Lương</strong>" in page
    assert "xã Văn Hiến · " in form.content.decode()  # a finding offered to answer
