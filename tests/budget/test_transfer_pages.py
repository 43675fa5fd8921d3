"""The transfer pages: Finance drafts the former Đô Lương district's transfer, changes an amount
so the road no longer balances (the verdict names it, linked to its rows), a leader's approval is
refused naming the road, the amount is fixed and the transfer approved; then the page is
read-only. A commune sees no batch (404), a specialist cannot approve (403); Excel export."""

import datetime as dt
import re
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from haicap.budget.models import BatchEntry, LedgerEntry, Level, Source, TransferBatch
from haicap.budget.services import transfer
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from tests.budget import world

pytestmark = pytest.mark.django_db
PAGES = "/desk/von-dau-tu/chuyen-von/"
M = world.MILLION
NOW = dt.datetime(2025, 7, 20, 9, 0, tzinfo=VIETNAM)


@pytest.fixture
def made():
    return world.make()


def drafted(made) -> TransferBatch:
    return transfer.draft_batch(
        made.who.finance, made.plans.y2025, made.district, title="Chuyển vốn Đô Lương"
    )


def tagged(page: str, name: str) -> list[str]:
    """The opening tags carrying ``data-testid="name"``."""
    return re.findall(rf'<[^>]*data-testid="{name}"[^>]*>', page)


def test_finance_drafts_a_transfer_from_the_list(made):
    client = world.signed_in(made.who.finance, "en")
    page = client.get(PAGES)
    assert page.status_code == 200
    assert tagged(page.content.decode(), "draft-form")
    assert tagged(page.content.decode(), "no-batches")
    answer = client.post(
        f"{PAGES}lap/",
        {
            "plan": "2025",
            "district": made.district.pk,
            "title": "Chuyển vốn Đô Lương",
            "idempotency_key": "form-1",
        },
    )
    batch = TransferBatch.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"{PAGES}{batch.pk}/"
    # the same form sent again finds the batch it made
    again = client.post(f"{PAGES}lap/", {"plan": "2025", "title": "X", "idempotency_key": "form-1"})
    assert again["Location"] == f"{PAGES}{batch.pk}/" and TransferBatch.objects.count() == 1
    listed = client.get(PAGES).content.decode()
    rows = tagged(listed, "batch")
    assert len(rows) == 1 and 'data-status="draft"' in rows[0]
    assert "27.000.000.000" in listed  # the capital it moves


def test_a_draft_that_cannot_be_made_says_why_in_the_readers_language(made):
    client = world.signed_in(made.who.finance, "vi")
    answer = client.post(f"{PAGES}lap/", {"plan": "2026", "title": "Năm 2026"})
    assert answer.status_code == 422
    page = answer.content.decode()
    assert tagged(page, "batch-error")
    assert "không còn vốn cấp huyện" in page.lower()
    assert not TransferBatch.objects.exists()
    missing = client.post(f"{PAGES}lap/", {"plan": "2025", "title": ""})
    assert missing.status_code == 422 and not TransferBatch.objects.exists()


def test_an_unbalanced_project_is_named_refused_then_fixed_and_approved(made):
    batch = drafted(made)
    page_url = f"{PAGES}{batch.pk}/"
    finance = world.signed_in(made.who.finance, "en")
    page = finance.get(page_url).content.decode()
    assert 'data-approvable="true"' in tagged(page, "verdict")[0]
    assert len(tagged(page, "entry")) == 8
    assert not tagged(page, "approve-form")  # a specialist drafts, a leader approves
    assert [
        re.search(r'data-project="([^"]+)"', t)[1] for t in tagged(page, "waiting-project")
    ] == ["DL-VH-04"]
    road_in = batch.entries.get(project=made.road, source=Source.DISTRICT, level=Level.COMMUNE)
    changed = finance.post(
        f"{page_url}muc/{road_in.pk}/", {"amount": "7.500.000.000"}, headers={"HX-Request": "true"}
    )
    assert changed.status_code == 200  # htmx gets the page and keeps the batch's part
    page = changed.content.decode()
    assert tagged(page, "batch-done")
    verdict = tagged(page, "verdict")[0]
    assert 'data-approvable="false"' in verdict
    differences = tagged(page, "difference")
    assert len(differences) == 1 and 'data-project="DL-GT-01"' in differences[0]
    assert 'href="#project-DL-GT-01"' in page and 'id="project-DL-GT-01"' in page
    assert "a difference of 500.000.000" in page
    balanced = {
        re.search(r'data-project="([^"]+)"', t)[1]: 'data-balanced="true"' in t
        for t in tagged(page, "project")
    }
    assert balanced == {"DL-GD-02": True, "DL-GT-01": False, "DL-GT-03": True}
    # the leader's approval is refused, naming the road
    leader = world.signed_in(made.who.finance_leader, "vi")
    with clock.fixed_at(NOW):
        refused = leader.post(
            f"{page_url}phe-duyet/",
            {"decision_number": "1234/QĐ-UBND", "decision_date": "2025-07-15"},
        )
    assert refused.status_code == 409
    page = refused.content.decode()
    error = page[page.index('data-testid="batch-error"') :]
    assert "DL-GT-01" in error[: error.index("</div>")]
    # each difference is said once, in the verdict, not again in the error
    assert page.count("chênh lệch 500.000.000 đ") == 1
    assert len(tagged(page, "difference")) == 1
    assert not LedgerEntry.objects.filter(batch=batch).exists()
    # fixed without script: the form posts and comes back to the project's rows
    fixed = finance.post(f"{page_url}muc/{road_in.pk}/", {"amount": "8000000000"})
    assert fixed.status_code == 302 and fixed["Location"] == f"{page_url}#project-DL-GT-01"
    with clock.fixed_at(NOW):
        approved = leader.post(
            f"{page_url}phe-duyet/",
            {"decision_number": "1234/QĐ-UBND", "decision_date": "2025-07-15"},
        )
    assert approved.status_code == 302
    batch.refresh_from_db()
    assert batch.status == TransferBatch.Status.APPROVED
    assert LedgerEntry.objects.filter(batch=batch).count() == 8
    page = leader.get(page_url).content.decode()
    assert 'data-status="approved"' in tagged(page, "batch-status")[0]
    assert "1234/QĐ-UBND" in page
    assert not tagged(page, "entry-form") and not tagged(page, "approve-form")
    assert not tagged(page, "add-entry-form")


def test_a_bad_amount_is_refused_on_the_page_and_changes_nothing(made):
    batch = drafted(made)
    entry = batch.entries.filter(amount__gt=0).first()
    finance = world.signed_in(made.who.finance, "vi")
    for typed in ("tám tỷ", "0", "1.2.3"):
        answer = finance.post(f"{PAGES}{batch.pk}/muc/{entry.pk}/", {"amount": typed})
        assert answer.status_code == 422, typed
        assert tagged(answer.content.decode(), "batch-error")
    assert BatchEntry.objects.get(pk=entry.pk).amount == entry.amount


def test_entries_are_added_and_removed_on_the_page(made):
    batch = drafted(made)
    finance = world.signed_in(made.who.finance, "en")
    url = f"{PAGES}{batch.pk}/muc/"
    added = finance.post(
        url, {"project": "DL-GT-03", "source": "other", "level": "province", "amount": "5.000.000"}
    )
    assert added.status_code == 302
    entry = batch.entries.get(source=Source.OTHER)
    assert (entry.project, entry.amount) == (made.bridge, 5 * M)
    again = finance.post(
        url, {"project": "DL-GT-03", "source": "other", "level": "province", "amount": "1"}
    )
    assert again.status_code == 409
    assert "already has an entry" in again.content.decode()
    removed = finance.post(f"{url}{entry.pk}/xoa/")
    assert removed.status_code == 302
    assert not batch.entries.filter(pk=entry.pk).exists()


def test_a_commune_sees_no_batch_and_a_specialist_cannot_approve(made):
    batch = drafted(made)
    commune = world.signed_in(made.who.do_luong, "en")
    assert commune.get(f"{PAGES}{batch.pk}/").status_code == 404
    assert not tagged(commune.get(PAGES).content.decode(), "batch")
    assert not tagged(commune.get(PAGES).content.decode(), "draft-form")
    road_entry = batch.entries.first()
    refused = commune.post(f"{PAGES}{batch.pk}/muc/{road_entry.pk}/", {"amount": "1"})
    assert refused.status_code == 404
    specialist = world.signed_in(made.who.finance, "en")
    with clock.fixed_at(NOW):
        answer = specialist.post(
            f"{PAGES}{batch.pk}/phe-duyet/",
            {"decision_number": "1234/QĐ-UBND", "decision_date": "2025-07-15"},
        )
    assert answer.status_code == 403
    supervisor = world.signed_in(made.who.supervisor, "en")
    page = supervisor.get(f"{PAGES}{batch.pk}/").content.decode()
    assert tagged(page, "verdict") and not tagged(page, "entry-form")
    batch.refresh_from_db()
    assert batch.is_draft


def test_the_entries_export_to_excel(made):
    batch = drafted(made)
    answer = world.signed_in(made.who.finance, "vi").get(f"{PAGES}{batch.pk}/", {"export": "xlsx"})
    assert answer.status_code == 200
    workbook = load_workbook(BytesIO(answer.content))
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0].startswith("Chuyển vốn Đô Lương")
    assert rows[1] == (
        "Mã dự án",
        "Dự án",
        "Chủ đầu tư",
        "Nguồn vốn",
        "Cấp ngân sách",
        "Giảm (đồng)",
        "Tăng (đồng)",
    )
    entries = [row for row in rows[2:] if row[3]]
    assert len(entries) == 8
    assert sum(row[5] for row in entries) == sum(row[6] for row in entries) == 27_000 * M
    assert entries[-1][:2] == ("DL-GT-03", "Cầu Đô Lương mới")
    # a total under each project, the transfer's total at the foot
    totals = {row[0]: row[5:] for row in rows[2:] if not row[3] and row[0]}
    assert totals == {
        "DL-GD-02": (5_000 * M, 5_000 * M),
        "DL-GT-01": (10_000 * M, 10_000 * M),
        "DL-GT-03": (12_000 * M, 12_000 * M),
    }
    assert rows[-1][1] == "Tổng cộng đợt điều chuyển" and rows[-1][5:] == (27_000 * M, 27_000 * M)
    money = [sheet.cell(row=r, column=c) for r in range(3, sheet.max_row + 1) for c in (6, 7)]
    assert {cell.number_format for cell in money} == {"#,##0"}
    # the check's verdict and differences, as on the page
    check = workbook.worksheets[1]
    assert check.cell(row=1, column=1).value.startswith("Đã cân đối")
    assert check.max_row <= 2


def test_the_export_of_an_unbalanced_transfer_names_its_differences(made):
    batch = drafted(made)
    road_in = batch.entries.get(project=made.road, source=Source.DISTRICT, level=Level.COMMUNE)
    transfer.set_entry_amount(made.who.finance, road_in, 7_500 * M)
    answer = world.signed_in(made.who.finance, "en").get(f"{PAGES}{batch.pk}/", {"export": "xlsx"})
    check = load_workbook(BytesIO(answer.content)).worksheets[1]
    rows = list(check.iter_rows(values_only=True))
    assert rows[0][0].startswith("Not balanced")
    assert [row[0] for row in rows[2:]] == ["DL-GT-01"]
    assert "500.000.000" in rows[2][1]


def test_a_refused_amount_is_shown_at_its_row_and_kept_as_typed(made):
    batch = drafted(made)
    road_in = batch.entries.get(project=made.road, source=Source.DISTRICT, level=Level.COMMUNE)
    finance = world.signed_in(made.who.finance, "vi")
    url = f"{PAGES}{batch.pk}/muc/{road_in.pk}/"
    for headers in ({}, {"HX-Request": "true"}):
        answer = finance.post(url, {"amount": "1,2 tỷ"}, headers=headers)
        assert answer.status_code == 422
        page = answer.content.decode()
        errors = tagged(page, "entry-error")
        assert len(errors) == 1 and f'data-entry-id="{road_in.pk}"' in errors[0]
        at_row = page[page.index(errors[0]) :]
        assert at_row[: at_row.index("</p>")].count("DL-GT-01") == 1
        typed = re.search(rf'<input id="amount-{road_in.pk}"[^>]*>', page)[0]
        assert 'value="1,2 tỷ"' in typed and 'aria-invalid="true"' in typed
        # the other rows keep their amounts
        assert 'value="5.000.000.000"' in page
    assert BatchEntry.objects.get(pk=road_in.pk).amount == road_in.amount


def test_the_draft_forms_selects_say_what_their_empty_choice_means(made):
    page = world.signed_in(made.who.finance, "vi").get(PAGES).content.decode()
    form = page[page.index('data-testid="draft-form"') :]
    assert "---------" not in form
    assert '<option value="" selected>Chọn kế hoạch vốn</option>' in form
    assert '<option value="" selected>Tất cả các huyện cũ</option>' in form


def test_an_amount_is_read_one_way_a_comma_is_no_thousands_mark():
    """The transfer's amounts are read as every capital form reads đồng (``money.parse_vnd``):
    "8,000,000,000" is refused here as on the adjustment form, and a sign is kept."""
    from haicap.budget.transfer_forms import SignedMoneyField

    field = SignedMoneyField()
    assert field.clean("-8.000.000.000") == -8_000_000_000
    assert field.clean("7 500 000 000 đ") == 7_500_000_000
    for text in ("8,000,000,000", "1,2 tỷ", "1.5"):
        with pytest.raises(ValidationError):
            field.clean(text)
