"""The digitisation group (MDSH) of the Decision 766 index, worked out by hand.

February 2026 at xã Đô Lương: four X.HT.007 dossiers (one paper to digitise) received on Monday
2 February. One is approved on 5 February, signing off (a result of February); in March one is
approved on the 2nd with signing off (unsigned), one on the 3rd with signing on (signed), and one
is refused on the 4th (a refusal issues no result). Results issued in March: 2, signed: 1 →
1 / 2 = 0.5.

March 2026: A (X.DD.003, two papers) has both digitised; B (X.DD.004, two papers) has the land
certificate taken from A's store and its request digitised; C (X.DD.003, desk) has nothing
digitised, so no counts row: not digitised; D (X.DD.003) was filed online, its request uploaded,
and its land certificate brought on paper and digitised (Decree 118 Art. 17(1)(c): received on
paper): D stays out of the dossiers digitised at receipt (see ``index.PAPER_CHANNELS``) but its
paper is a paper digitised. At xã Văn Hiến, V (X.DD.003, desk) has nothing digitised.
- Đô Lương: fully digitised 2 of the 3 paper dossiers (A, B; not C, not D) → 0.6667; papers 5
  (A's two, B's two, D's one), of them reused 1 → 0.2. MDSH = (2/3 + 1/2 + 1/5) / 3 × 22 =
  41/90 × 22 = 10.022 → 10.02 points.
- Văn Hiến: 0 of 1 digitised; no result issued, no paper digitised: MDSH = 0 / 1 × 22 = 0.
- The province: 2 of 4 digitised (0.5), 1 of 2 signed (0.5), 1 of 5 reused (0.2):
  1.2 / 3 × 22 = 8.8 → 8.80 points.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from haicap.core import clock
from haicap.core.service_index import index_inputs
from haicap.dossiers import selectors, services
from haicap.dossiers.index import (
    INPUTS,
    digitised_at_receipt,
    digitised_reused,
    electronic_results,
)
from haicap.dossiers.models import Dossier, SignedResult
from haicap.kpi.index import scores
from haicap.units.models import AdministrativeUnit
from tests.dossiers.test_digitising import LAND_CERTIFICATE, REQUEST, digitise, page_image
from tests.dossiers.test_scenarios import VAN_HIEN_DESK, act, at, receive
from tests.dossiers.test_signed_results import signing_on  # noqa: F401  (the signing fixture)
from tests.kpi.test_index import row
from tests.kpi.test_pages import dashboard

pytestmark = pytest.mark.django_db

MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
FEBRUARY = (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
APRIL = (dt.date(2026, 4, 1), dt.date(2026, 4, 30))
EXTENSION_REQUEST = "Đơn đề nghị gia hạn"  # X.DD.004's other paper


def awaiting_decision(user) -> str:
    code = receive(user, at(2, 2, 9), "X.HT.007").dossier.code
    act(user, "tiepnhan.doluong", at(2, 2, 9, 30), code, "forward")
    act(user, "chuyenvien.doluong", at(2, 3, 10), code, "submit")
    return code


@pytest.fixture
def world(user, settings, signing_on):  # noqa: F811
    # results: signing off for the first two approvals, on for the third
    settings.RESULT_SIGNING = "off"
    february, unsigned, signed, refused = (awaiting_decision(user) for _ in range(4))
    act(user, "lanhdao.doluong", at(2, 5, 8), february, "approve")
    act(user, "lanhdao.doluong", at(3, 2, 8), unsigned, "approve")
    act(user, "lanhdao.doluong", at(3, 4, 8), refused, "refuse", note="Không đủ điều kiện.")
    settings.RESULT_SIGNING = "required"
    act(user, "lanhdao.doluong", at(3, 3, 8), signed, "approve")
    assert list(SignedResult.objects.values_list("dossier__code", flat=True)) == [signed]
    # papers
    a = receive(user, at(3, 2, 9), "X.DD.003").dossier.code
    digitise(user, a, REQUEST, [page_image()], 1)
    digitise(user, a, LAND_CERTIFICATE, [page_image(), page_image()], 2)
    b = receive(user, at(3, 3, 9), "X.DD.004").dossier
    desk = user("tiepnhan.doluong")
    (stored,) = selectors.stored_copies_offered(desk, b)
    assert stored.paper == LAND_CERTIFICATE
    with clock.fixed_at(at(3, 3, 9, 10)):
        services.reuse_stored_paper(desk, b.code, stored.pk)
    digitise(user, b.code, EXTENSION_REQUEST, [page_image()], 1, when=at(3, 3, 9, 20))
    receive(user, at(3, 4, 9), "X.DD.003")
    d = receive(user, at(3, 5, 9), "X.DD.003", channel=Dossier.Channel.ONLINE).dossier.code
    digitise(user, d, LAND_CERTIFICATE, [page_image()], 1, when=at(3, 5, 9, 30))
    receive(user, at(3, 5, 9), "X.DD.003", desk=VAN_HIEN_DESK, username="tiepnhan.vanhien")
    return (
        AdministrativeUnit.objects.get(code="17662").pk,
        AdministrativeUnit.objects.get(code="17677").pk,
    )


def test_the_three_ratios_by_unit_and_for_the_province(world):
    do_luong, van_hien = world
    units = (do_luong, van_hien)
    assert digitised_at_receipt(units, *MARCH) == {do_luong: (2, 3), van_hien: (0, 1)}
    assert digitised_at_receipt(None, *MARCH) == {None: (2, 4)}
    assert electronic_results(units, *MARCH) == {do_luong: (1, 2)}
    assert electronic_results(None, *MARCH) == {None: (1, 2)}
    assert electronic_results(units, *FEBRUARY) == {do_luong: (0, 1)}
    assert digitised_reused(units, *MARCH) == {do_luong: (1, 5)}
    assert digitised_reused(None, *MARCH) == {None: (1, 5)}
    # February's X.HT.007 dossiers were received on paper but nothing was digitised
    assert digitised_at_receipt(units, *FEBRUARY) == {do_luong: (0, 4)}
    assert digitised_reused(units, *FEBRUARY) == {}
    for compute in (digitised_at_receipt, electronic_results, digitised_reused):
        assert compute(units, *APRIL) == {}
        assert compute(None, *APRIL) == {}


def test_each_input_reads_all_the_units_in_one_query(world):
    do_luong, van_hien = world
    for compute in (digitised_at_receipt, electronic_results, digitised_reused):
        with CaptureQueriesContext(connection) as queries:
            compute((do_luong, van_hien), *MARCH)
        assert len(queries) == 1, compute.__name__


def test_the_digitisation_group_scores_its_mean_ratio_times_22(world):
    do_luong, van_hien = world
    assert {i.key for i in index_inputs.all() if i.group == "MDSH"} == {
        "dossiers.digitised_at_receipt",
        "dossiers.electronic_results",
        "dossiers.digitised_reused",
    }
    with clock.fixed_at(at(4, 1, 9)):
        by_unit, _inputs = scores((do_luong, van_hien), *MARCH)
        province, _inputs = scores(None, *MARCH)

    def mdsh(score):
        return next(g for g in score.groups if g.group.code == "MDSH")

    here = mdsh(by_unit[do_luong])
    assert dict(here.ratios) == {
        "dossiers.digitised_at_receipt": Decimal("0.6667"),
        "dossiers.electronic_results": Decimal("0.5"),
        "dossiers.digitised_reused": Decimal("0.2"),
    }
    assert here.points == Decimal("10.02")
    there = mdsh(by_unit[van_hien])
    assert dict(there.ratios)["dossiers.digitised_at_receipt"] == Decimal(0)
    assert there.points == Decimal("0.00")
    assert mdsh(province[None]).points == Decimal("8.80")


def test_the_dashboard_shows_the_digitisation_group_computed(world):
    commune = row(dashboard("lanhdao.doluong"), "MDSH")
    assert "<strong>10,02</strong>" in commune
    assert "chưa thể tính" not in commune
    assert "Hồ sơ được số hóa khi tiếp nhận</strong>: 66,7 %" in commune
    assert "Kết quả cấp bản điện tử có ký số</strong>: 50,0 %" in commune
    assert "Giấy tờ số hóa được tái sử dụng</strong>: 20,0 %" in commune
    # the source cited, and the ratio said to be haicap's
    assert "Nghị định 118/2025/NĐ-CP Điều 22" in commune
    assert "tỷ lệ này do haicap đặt ra" in commune
    assert "<strong>8,80</strong>" in row(dashboard("giamsat"), "MDSH")


def test_the_inputs_are_registered_once_from_the_app():
    assert all(i in index_inputs.all() for i in INPUTS)
