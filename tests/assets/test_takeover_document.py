"""The take-over record as Word and PDF: the same lines in both (the parties, every asset's row
with its destination, the totals), laid out by the one administrative-document layout."""

import datetime as dt
from io import BytesIO

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from haicap.assets import selectors, takeover_document
from haicap.assets.models import Disposal
from haicap.assets.services import takeover
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.dossiers import administrative_document
from tests.assets.takeover_world import (
    BACH_NGOC_PPC,
    DO_LUONG_PPC,
    HEALTH,
    agency,
    district_assets,
    finance_world,
    former_district,
)
from tests.conftest import client_for

HEADER = [
    "STT",
    "Mã tài sản",
    "Tên tài sản",
    "Loại",
    "Nguyên giá (đồng)",
    "Giá trị còn lại (đồng)",
    "Tình trạng",
    "Nơi nhận hoặc hình thức xử lý",
]


@pytest.fixture
def world(db):
    people = finance_world()
    assets = district_assets()
    record = takeover.open_record(people.specialist, former_district())
    lines = {line.asset_id: line for line in record.lines.all()}
    for asset, code in ((assets.office, DO_LUONG_PPC), (assets.computer, BACH_NGOC_PPC)):
        takeover.set_destination(people.specialist, lines[asset.pk], destination=agency(code))
    takeover.set_destination(people.specialist, lines[assets.car.pk], destination=agency(HEALTH))
    takeover.set_destination(
        people.specialist, lines[assets.scanner.pk], disposal=Disposal.LIQUIDATION
    )
    takeover.describe_parties(
        people.specialist,
        record,
        handed_by="Ông Nguyễn Văn Hùng",
        received_by="Ông Đặng Văn Lương",
    )
    with clock.fixed_at(dt.datetime(2025, 7, 20, 9, tzinfo=VIETNAM)):
        takeover.sign(people.leader, record, on=dt.date(2025, 7, 15), number="15/BB-STC")
    return people, assets, record


# The rows as the record must print them, written out here: identifier, name, kind, the values
# with dots between thousands, the condition and the destination in Vietnamese.
def expected_rows(assets) -> list[list[str]]:
    return [
        [
            "1",
            assets.office.identifier,
            "Trụ sở UBND huyện Đô Lương",
            "Trụ sở làm việc",
            "12.500.000.000",
            "3.200.000.000",
            "Tốt",
            "UBND xã Đô Lương",
        ],
        [
            "2",
            assets.car.identifier,
            "Xe ô tô Toyota Innova 37A-001.23",
            "Xe ô tô",
            "780.000.000",
            "156.000.000",
            "Trung bình",
            "Sở Y tế",
        ],
        [
            "3",
            assets.computer.identifier,
            "Máy tính Dell OptiPlex phòng Tài chính - Kế hoạch",
            "Máy tính để bàn",
            "18.500.000",
            "3.700.000",
            "Tốt",
            "UBND xã Bạch Ngọc",
        ],
        [
            "4",
            assets.scanner.identifier,
            "Máy quét Fujitsu fi-7160",
            "Máy quét tài liệu",
            "32.000.000",
            "9.600.000",
            "Hỏng, không sử dụng được",
            "Thanh lý",
        ],
        ["", "", "Tổng cộng", "", "13.330.500.000", "3.369.300.000", "", ""],
    ]


def test_the_word_file_holds_the_parties_the_assets_table_and_the_totals(world):
    people, assets, record = world
    response = client_for(people.do_luong.username).get(
        f"/desk/tai-san/ban-giao/{record.pk}/bien-ban.docx"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    word = docx.Document(BytesIO(response.content))
    header, table, signing = word.tables
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        HEADER,
        *expected_rows(assets),
    ]
    assert header.cell(1, 0).text == "Số: 15/BB-STC"
    assert header.cell(1, 1).text == "Nghệ An, ngày 15 tháng 7 năm 2025"
    assert header.cell(0, 0).text.split("\n")[:2] == [
        "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN",
        "SỞ TÀI CHÍNH",
    ]
    texts = [p.text for p in word.paragraphs]
    assert "BIÊN BẢN" in texts and "Bàn giao tài sản của huyện Đô Lương" in texts
    for line in (
        "I. BÊN GIAO",
        "- Huyện Đô Lương (đơn vị hành chính đã kết thúc hoạt động);",
        "- Đại diện: Ông Nguyễn Văn Hùng.",
        "II. BÊN NHẬN",
        "- UBND xã Đô Lương;",
        "- Sở Y tế;",
        "- UBND xã Bạch Ngọc;",
        "- Đại diện: Ông Đặng Văn Lương.",
        "- Xử lý theo hình thức thanh lý: 1 tài sản.",
        "Hôm nay, ngày 15 tháng 7 năm 2025, chúng tôi gồm:",
    ):
        assert line in texts, line
    # the receiving side names agencies only, not the way an asset is disposed of
    receiving = texts[texts.index("II. BÊN NHẬN") + 1 : texts.index("III. TÀI SẢN BÀN GIAO")]
    assert not any("Thanh lý" in text for text in receiving)
    assert [cell.text for cell in signing.rows[0].cells] == [
        "ĐẠI DIỆN BÊN GIAO\nÔng Nguyễn Văn Hùng",
        "ĐẠI DIỆN BÊN NHẬN\nÔng Đặng Văn Lương",
    ]
    summary = next(t for t in texts if t.startswith("Hai bên thống nhất bàn giao 4 tài sản"))
    assert "13.330.500.000 đồng" in summary and "3.369.300.000 đồng" in summary


def test_the_pdf_says_what_the_word_file_says(world):
    people, assets, record = world
    client = client_for(people.specialist.username)
    word = docx.Document(
        BytesIO(client.get(f"/desk/tai-san/ban-giao/{record.pk}/bien-ban.docx").content)
    )
    response = client.get(f"/desk/tai-san/ban-giao/{record.pk}/bien-ban.pdf")
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(BytesIO(response.content)).pages
    flat = " ".join(" ".join(page.extract_text().split()) for page in pages)
    lines = [p.text for p in word.paragraphs if p.text]
    lines += [p.text for t in word.tables for r in t.rows for c in r.cells for p in c.paragraphs]
    missing = [line for line in lines if line and " ".join(line.split()) not in flat]
    assert missing == []
    for row in expected_rows(assets):
        for cell in row:
            assert cell in flat


def test_a_draft_leaves_the_number_date_and_missing_destinations_to_be_written(db):
    people = finance_world()
    assets = district_assets()
    record = takeover.open_record(people.specialist, former_district())
    paper = takeover_document.document_of(selectors.takeover_paper(people.specialist, record.pk))
    texts = administrative_document.texts_of(paper)
    assert "Số: ......" in texts
    assert "Nghệ An, ngày ... tháng ... năm ......" in texts
    assert texts.count("Chưa xác định") == 4
    assert "- Chưa xác định nơi nhận: 4 tài sản." in texts
    assert assets.scanner.identifier in texts


def test_a_record_the_reader_may_not_see_is_not_found(world):
    _people, _assets, record = world
    outsider = client_for("tiepnhan.vanhien")
    for suffix in ("bien-ban.docx", "bien-ban.pdf"):
        assert outsider.get(f"/desk/tai-san/ban-giao/{record.pk}/{suffix}").status_code == 404


# --- the pure part: rows, totals and destinations from any items ------------------------------

values = st.integers(min_value=0, max_value=10**13)
destinations = st.sampled_from(["", "UBND xã Đô Lương", "Sở Y tế", "Bán", "Thanh lý"])


@st.composite
def items(draw) -> takeover_document.Item:
    original = draw(values)
    destination = draw(destinations)
    return takeover_document.Item(
        identifier=draw(st.from_regex(r"TS-[0-9]{5}", fullmatch=True)),
        name=draw(st.text(min_size=1, max_size=20).filter(str.strip)),
        kind="Máy tính",
        original_value=original,
        remaining_value=draw(st.integers(min_value=0, max_value=original)),
        condition="Tốt",
        destination=destination,
        disposed=destination in ("Bán", "Thanh lý"),
    )


def record_of(listed) -> takeover_document.Record:
    return takeover_document.Record(
        issuer_parent="Ủy ban nhân dân tỉnh Nghệ An",
        issuer="Sở Tài chính",
        number="",
        place="Nghệ An",
        signed_on=None,
        former_unit="huyện Đô Lương",
        handed_by="",
        received_by="",
        items=listed,
    )


@given(amount=values)
def test_money_groups_thousands_with_dots_and_loses_no_digit(amount):
    written = takeover_document.money(amount)
    assert written.replace(".", "") == str(amount)
    assert all(len(group) == 3 for group in written.split(".")[1:])


@settings(max_examples=60, deadline=None)
@given(listed=st.lists(items(), max_size=12))
def test_every_item_is_a_row_and_the_totals_add_them_up(listed):
    record = record_of(listed)
    rows = takeover_document.asset_rows(record)
    assert [row[1] for row in rows[:-1]] == [item.identifier for item in listed]
    assert [row[0] for row in rows[:-1]] == [str(n) for n in range(1, len(listed) + 1)]
    total = rows[-1]
    assert total[4].replace(".", "") == str(sum(i.original_value for i in listed))
    assert total[5].replace(".", "") == str(sum(i.remaining_value for i in listed))
    counted = takeover_document.destinations(record)
    assert sum(n for _name, n in counted) == sum(bool(i.destination) for i in listed)
    body = [line.text for line in takeover_document.body_lines(record) if hasattr(line, "text")]
    receiving = body[body.index("II. BÊN NHẬN") + 1 : body.index("III. TÀI SẢN BÀN GIAO")]
    for disposal_word in ("Bán", "Thanh lý"):
        assert not any(disposal_word in line for line in receiving)
