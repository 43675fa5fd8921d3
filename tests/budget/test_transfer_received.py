"""What a commune reads of the transfers: the batches stay the province's (404, no list), but
the list page says who arranges transfers and lists the approved transfer entries of the
projects its bodies invest in, from the ledger; its project page's ledger names the decision."""

import datetime as dt
import re

import pytest

from haicap.budget.services import transfer
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from tests.budget import world

pytestmark = pytest.mark.django_db
PAGES = "/desk/von-dau-tu/chuyen-von/"
NOW = dt.datetime(2025, 8, 20, 9, 0, tzinfo=VIETNAM)
DECISION = "2150/QĐ-UBND"


@pytest.fixture
def made():
    return world.make()


def approved(made):
    batch = transfer.draft_batch(
        made.who.finance, made.plans.y2025, made.district, title="Chuyển vốn Đô Lương"
    )
    with clock.fixed_at(NOW):
        transfer.approve(
            made.who.finance_leader,
            batch,
            decision_number=DECISION,
            decision_date=dt.date(2025, 8, 15),
        )
    return batch


def received_rows(page: str) -> list[tuple[str, str, str]]:
    return re.findall(
        r'data-testid="received-entry" data-project="([^"]+)" data-source="([^"]+)"'
        r' data-amount="(-?\d+)"',
        page,
    )


def test_a_commune_reads_the_transfers_its_projects_received_not_the_batches(made):
    batch = approved(made)
    commune = world.signed_in(made.who.do_luong, "en")
    page = commune.get(PAGES).content.decode()
    assert 'data-testid="arranged-by-finance"' in page
    assert "Department of Finance" in page
    assert 'data-testid="no-batches"' not in page and 'data-testid="batch"' not in page
    # the road is Đô Lương's (district budget and central support); the school is Bạch Hà's
    # and the bridge a department's: neither is listed
    assert sorted(received_rows(page)) == [
        ("DL-GT-01", "central", str(2_000 * world.MILLION)),
        ("DL-GT-01", "district", str(8_000 * world.MILLION)),
    ]
    row = page[page.index('data-testid="received"') :]
    assert "District (abolished)" in row and "Commune" in row
    assert DECISION in row and "15/08/2025" in row
    assert commune.get(f"{PAGES}{batch.pk}/").status_code == 404


def test_in_vietnamese_with_nothing_received_yet(made):
    commune = world.signed_in(made.who.do_luong, "vi")
    page = commune.get(PAGES).content.decode()
    assert "Sở Tài chính" in page
    assert 'data-testid="no-received"' in page
    assert "Chưa có đợt điều chuyển vốn nào" not in page


def test_the_province_still_reads_batches_and_not_the_commune_sentence(made):
    approved(made)
    page = world.signed_in(made.who.finance, "en").get(PAGES).content.decode()
    assert 'data-testid="batch"' in page
    assert 'data-testid="arranged-by-finance"' not in page


def test_the_projects_ledger_names_the_batchs_decision(made):
    approved(made)
    commune = world.signed_in(made.who.do_luong, "en")
    page = commune.get(f"/desk/von-dau-tu/du-an/{made.road.pk}/").content.decode()
    ledger = page[page.index('id="ledger"') :]
    transfers = [
        row
        for row in re.findall(r'<tr data-testid="entry">.*?</tr>', ledger, re.S)
        if "Transfer of the abolished" in row
    ]
    assert len(transfers) == 4  # minus and plus, for each of the road's two sources
    assert all(DECISION in row and "15/08/2025" in row for row in transfers)
