"""A submission printed as the commune sends it: the Word file and the PDF say the same thing, in
the administrative-document layout, with the submitted figures, the override's note and the
leader who signed; each submission prints its own values; only its readers get it."""

from io import BytesIO

import docx
import pytest
from pypdf import PdfReader

from haicap.accounts.models import Membership, Position
from haicap.core import clock
from haicap.reports.services import filing, review
from tests.reports import world

pytestmark = pytest.mark.django_db

REASON = "Có 34 hồ sơ giấy chưa nhập hệ thống"


def submitted(people, *, received: str = "1234", by_field=None, when=None):
    """Đô Lương's November report, ``received`` overridden with its reason, submitted by its
    leader on 3 December (or ``when``)."""
    report = world.open_november(people.do_luong)
    report = world.fill(
        report,
        people.do_luong,
        received=received,
        received_online="500",
        meetings="4",
        by_field=by_field or [{"field": "Hộ tịch", "received": received}],
    )
    filing.save(people.do_luong, report, {}, {"received": REASON, "received_online": REASON})
    with clock.fixed_at(when or world.at(12, 3, 10)):
        filing.submit(people.do_luong_leader, report)
    return report


def url(report, number: int, suffix: str) -> str:
    return f"/desk/bao-cao-dinh-ky/{report.pk}/lan/{number}/bao-cao.{suffix}"


def word_texts(content: bytes) -> list[str]:
    document = docx.Document(BytesIO(content))
    texts = [p.text for p in document.paragraphs if p.text]
    for table in document.tables:
        texts += [p.text for row in table.rows for cell in row.cells for p in cell.paragraphs]
    return texts


def pdf_text(content: bytes) -> str:
    pages = PdfReader(BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def test_the_word_file_holds_the_figures_the_table_the_note_and_the_signer():
    people = world.people()
    world.publish()
    report = submitted(people)
    response = world.signed_in(people.do_luong).get(url(report, 1, "docx"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    document = docx.Document(BytesIO(response.content))
    header, grid, signing = document.tables
    assert header.cell(0, 0).text.split("\n")[:2] == ["ỦY BAN NHÂN DÂN", "XÃ ĐÔ LƯƠNG"]
    assert header.cell(1, 0).text.split() == ["Số:", "/BC-UBND"]
    assert header.cell(1, 1).text == "Đô Lương, ngày 03 tháng 12 năm 2026"
    assert [[c.text for c in row.cells] for row in grid.rows] == [
        ["STT", "Lĩnh vực", "Tiếp nhận"],
        ["1", "Hộ tịch", "1.234"],
        ["", "Tổng cộng", "1.234"],
    ]
    texts = [p.text for p in document.paragraphs]
    for line in (
        "BÁO CÁO",
        "Kiểm thử hằng tháng tháng 11 năm 2026",
        "I. KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
        "1. Số hồ sơ tiếp nhận: 1.234 hồ sơ [1]",
        "2. Trong đó tiếp nhận trực tuyến: 500 hồ sơ [2]",
        "5. Số cuộc họp giao ban: 4",
        "II. ĐÁNH GIÁ CHUNG",
        "2. Khó khăn, vướng mắc: Thiếu máy scan để số hóa hồ sơ.",
        f"[1] Số hồ sơ tiếp nhận: số liệu trên haicap 0 hồ sơ, xã báo cáo 1.234 hồ sơ (+1.234)."
        f" Lý do: {REASON}.",
    ):
        assert line in texts, line
    recipients, signature = signing.rows[0].cells
    assert recipients.text.split("\n") == [
        "Nơi nhận:",
        "- Ủy ban nhân dân tỉnh (để b/c);",
        "- Sở Nội vụ;",
        "- Lưu: VT.",
    ]
    # the demo's leader is a deputy chairman: he signs for the chairman
    assert signature.text.split("\n") == [
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Đặng Văn Lương",
    ]


def test_the_pdf_says_what_the_word_file_says():
    people = world.people()
    world.publish()
    report = submitted(people)
    client = world.signed_in(people.reviewer)
    word = client.get(url(report, 1, "docx"))
    response = client.get(url(report, 1, "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    flat = pdf_text(response.content)
    missing = [t for t in word_texts(word.content) if " ".join(t.split()) not in flat]
    assert missing == []
    assert "1. Số hồ sơ tiếp nhận: 1.234 hồ sơ [1]" in flat
    assert "Đặng Văn Lương" in flat


def test_a_chairman_signs_for_the_committee_himself():
    people = world.people()
    Membership.objects.filter(user=people.do_luong_leader, role="leader").update(
        position=Position.HEAD
    )
    world.publish()
    report = submitted(people)
    flat = pdf_text(world.signed_in(people.do_luong).get(url(report, 1, "pdf")).content)
    assert "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH Đặng Văn Lương" in flat
    assert "PHÓ CHỦ TỊCH" not in flat


def test_each_submission_prints_what_it_said_then():
    people = world.people()
    world.publish()
    report = submitted(people, received="1234")
    with clock.fixed_at(world.at(12, 4)):
        review.return_for_correction(people.reviewer, report, "Sai số hồ sơ")
    report = world.fill(
        report,
        people.do_luong,
        when=world.at(12, 5),
        received="1240",
        by_field=[{"field": "Hộ tịch", "received": "1240"}],
    )
    with clock.fixed_at(world.at(12, 5, 10)):
        filing.submit(people.do_luong_leader, report)
    client = world.signed_in(people.do_luong)
    first = word_texts(client.get(url(report, 1, "docx")).content)
    second = word_texts(client.get(url(report, 2, "docx")).content)
    assert "1. Số hồ sơ tiếp nhận: 1.234 hồ sơ [1]" in first
    assert "Đô Lương, ngày 03 tháng 12 năm 2026" in first
    assert "1. Số hồ sơ tiếp nhận: 1.240 hồ sơ [1]" in second
    assert "Đô Lương, ngày 05 tháng 12 năm 2026" in second


def test_a_submission_is_printed_only_for_its_readers():
    people = world.people()
    world.publish()
    report = submitted(people)
    for reader in (people.van_hien, people.finance):
        client = world.signed_in(reader)
        for suffix in ("docx", "pdf"):
            assert client.get(url(report, 1, suffix)).status_code == 404
    supervisor = world.signed_in(people.supervisor)
    assert supervisor.get(url(report, 1, "pdf")).status_code == 200
    # a submission that was never made
    assert supervisor.get(url(report, 2, "pdf")).status_code == 404
