"""The Decision 766 index on the dashboard, from the month of ``march`` (conftest), by hand.

March 2026, commune Đô Lương (the province's only commune with dossiers): 4 dossiers received
(3 at the desk, 1 online), 3 resolved (early, on time, late); none owes a fee (X.HT.001 and
X.HT.007 are free); no message to the national portal has been delivered (no worker runs).

- TDGQ: 2 / 3 = 0.6667 × 20 = 13.334
- CLGQ: 1 / 4 = 0.25 × 12 = 3
- CKMB: 0 / 4 synced = 0 × 18 = 0
- TTTT: no dossier owes a fee: cannot compute (nothing to count)
- MDSH (dossiers' inputs): the 3 desk dossiers of X.HT.003 ask for papers to digitise and none
  has any digitised: 0 / 3; of the 3 results issued, none signed (signing is off): 0 / 3;
  no paper digitised: reuse has nothing to count. (0 + 0) / 2 × 22 = 0
- MDHL (feedback's inputs): no rating given, no petition due: cannot compute (nothing to count)
Total 16.334 → 16.33 points, of the 18 + 20 + 12 + 22 = 72 haicap computes.
"""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from haicap.core import clock
from haicap.core.service_index import IndexInput, index_inputs
from haicap.dossiers.index import INPUTS as DIGITISATION
from haicap.dossiers.models import Dossier
from haicap.exchange.models import OutboxMessage
from haicap.units.models import AdministrativeUnit
from tests.conftest import client_for
from tests.kpi.test_pages import APRIL_FIRST, MARCH, dashboard

pytestmark = pytest.mark.django_db


def row(page: str, code: str) -> str:
    start = page.index(f'data-testid="index-{code}"')
    return page[start : page.index("</tr>", start)]


def exported(username: str, export: str) -> list[tuple]:
    with clock.fixed_at(APRIL_FIRST):
        response = client_for(username).get(reverse("desk:indicators"), {**MARCH, "export": export})
    return list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))


def test_the_province_sees_each_group_its_points_and_what_cannot_be_computed(march):
    page = dashboard("giamsat")
    assert 'data-testid="index-total">16,33<' in page
    assert "haicap tính được 72 trên 100 điểm" in page
    assert "<strong>13,33</strong>" in row(page, "TDGQ") and "66,7 %" in row(page, "TDGQ")
    assert "<strong>3,00</strong>" in row(page, "CLGQ") and "25,0 %" in row(page, "CLGQ")
    assert "<strong>0,00</strong>" in row(page, "CKMB")
    assert "không thể tính (không có gì để đếm trong kỳ)" in row(page, "TTTT")
    digitisation = row(page, "MDSH")
    assert "<strong>0,00</strong>" in digitisation and "chưa thể tính" not in digitisation
    assert "Hồ sơ được số hóa khi tiếp nhận</strong>: 0,0 %" in digitisation
    assert "Giấy tờ số hóa được tái sử dụng</strong>: —" in digitisation
    satisfaction = row(page, "MDHL")
    assert "không thể tính (không có gì để đếm trong kỳ)" in satisfaction
    assert "Mức độ hài lòng của người dân</strong>: —" in satisfaction
    # the formula and its source are stated where the figure is shown
    assert "Quyết định 766/QĐ-TTg" in row(page, "TTTT")


def test_a_delivered_status_counts_for_publicity(march):
    synced = list(Dossier.objects.filter(received_at__month=3).order_by("pk")[:2])
    OutboxMessage.objects.filter(stream__in=[d.code for d in synced]).update(status="sent")
    page = dashboard("giamsat")
    assert "<strong>9,00</strong>" in row(page, "CKMB")  # 2 / 4 × 18
    assert 'data-testid="index-total">25,33<' in page  # 13.334 + 3 + 9


def test_a_group_scores_once_an_input_for_it_is_registered(march):
    # the digitisation group without the dossiers' inputs, as before they existed
    for real in DIGITISATION:
        index_inputs.forget(real)
    do_luong = AdministrativeUnit.objects.get(code="17662").pk

    def digitised(units, first, last):
        return {unit: (1, 4) for unit in (units or (None,)) if unit in (None, do_luong)}

    fake = IndexInput(
        "dossiers.digitised_at_receipt", "MDSH", "digitised", "1 / 4", "a test", digitised
    )
    try:
        without = dashboard("giamsat")
        index_inputs.register(fake)
        try:
            page = dashboard("giamsat")
            units = exported("giamsat", "units")
        finally:
            index_inputs.forget(fake)
    finally:
        for real in DIGITISATION:
            index_inputs.register(real)
    digitisation = row(without, "MDSH")
    assert "chưa thể tính" in digitisation and "số hóa khi tiếp nhận" in digitisation
    assert "haicap tính được 50 trên 100 điểm" in without
    assert "<strong>5,50</strong>" in row(page, "MDSH")  # 0.25 × 22
    assert "haicap tính được 72 trên 100 điểm" in page  # 50 + 22
    assert 'data-testid="index-total">21,83<' in page  # 16.334 + 5.5
    headers = next(r for r in units if "MDSH (Số hóa hồ sơ)" in r)
    line = next(r for r in units if r[1] == "xã Đô Lương")
    assert line[0] == 1 and line[10] == 21.83
    assert line[headers.index("MDSH (Số hóa hồ sơ)")] == 5.5


def test_the_index_exports_to_excel_group_by_group(march):
    rows = exported("giamsat", "index")
    progress = next(r for r in rows if r[0] == "TDGQ")
    assert progress[2:4] == (20, 13.33) and progress[5] == "66.7"
    satisfaction = next(r for r in rows if r[0] == "MDHL")
    assert satisfaction[2] == 18 and satisfaction[3].startswith("không thể tính")
    total = rows[-1]
    assert total[1] == "haicap tính được 72 trên 100 điểm" and total[3] == 16.33


def test_a_commune_sees_its_own_index_and_the_province_ranks_communes_by_it(march):
    own = dashboard("lanhdao.doluong")
    assert "xã Đô Lương" in own[own.index('id="index"') :][:300]
    assert 'data-testid="index-total">16,33<' in own
    units = exported("giamsat", "units")
    do_luong = next(r for r in units if r[1] == "xã Đô Lương")
    assert do_luong[0] == 1 and do_luong[10] == 16.33
    other = dashboard("tiepnhan.vanhien")  # a commune with nothing in March
    assert 'data-testid="index-total">—<' in other
    assert "haicap tính được 0 trên 100 điểm" in other
