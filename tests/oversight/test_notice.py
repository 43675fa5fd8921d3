"""The conclusion notice: a Word file and a PDF laid out as Decree 30/2020/NĐ-CP sets out."""

import datetime as dt
import subprocess
import unicodedata
from dataclasses import replace
from decimal import Decimal
from io import BytesIO

import docx
import pytest
from docx.oxml.ns import qn
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from haicap.oversight.notice import (
    CommuneFindings,
    DirectiveLine,
    Notice,
    Target,
    body_lines,
    issuing,
    numbered,
    period_words,
    place_and_date,
    recipient_lines,
    target_words,
    to_docx,
    to_pdf,
)

COMMUNES = ["Đô Lương", "Bạch Ngọc", "Văn Hiến", "Bạch Hà", "Thuần Trung", "Lương Sơn"]

HOME_AFFAIRS = DirectiveLine(
    task="Tham mưu biệt phái công chức chuyên môn cho các xã còn thiếu",
    lead="Sở Nội vụ",
    deadline=dt.date(2026, 12, 31),
    expected_result="Các xã được bố trí đủ công chức về đất đai, xây dựng",
    supporting=("Ủy ban nhân dân các xã",),
)
FINANCE = DirectiveLine(
    task="Điều chuyển kế hoạch vốn năm 2025 từ ngân sách cấp huyện sang ngân sách cấp tỉnh, cấp xã",
    lead="Sở Tài chính",
    deadline=dt.date(2027, 1, 15),
    expected_result="Kế hoạch vốn được điều chuyển theo chủ đầu tư",
)
PPC_OFFICE = DirectiveLine(
    task="Kết nối, chia sẻ dữ liệu với Cổng thông tin quốc gia về đăng ký doanh nghiệp",
    lead="Văn phòng Ủy ban nhân dân tỉnh",
    deadline=dt.date(2027, 2, 28),
    expected_result="Tỷ lệ hồ sơ trực tuyến tại xã Văn Hiến đạt từ 40% trở lên trong quý",
    supporting=("Trung tâm Phục vụ hành chính công tỉnh", "Sở Khoa học và Công nghệ"),
)


def sample(**changes) -> Notice:
    notice = Notice(
        issuer_parent="Ủy ban nhân dân tỉnh Nghệ An",
        issuer="Tổ công tác số 4",
        number="12/TB-TCT",
        place="Nghệ An",
        date=dt.date(2026, 12, 5),
        summary="Kết luận của Tổ công tác số 4 tại các xã " + ", ".join(COMMUNES),
        participants=[
            "Đồng chí Nguyễn Văn Đệ, Phó Chủ tịch Ủy ban nhân dân tỉnh, Tổ trưởng",
            "Lãnh đạo các Sở: Nội vụ, Tài chính, Công Thương, Tư pháp",
        ],
        findings=[
            CommuneFindings("Xã Đô Lương", ["Thiếu công chức chuyên môn về đất đai, y tế"]),
            CommuneFindings("Xã Văn Hiến", ["Tỷ lệ hồ sơ trực tuyến thấp", "Kết nối chưa đồng bộ"]),
        ],
        directives=[HOME_AFFAIRS, FINANCE, PPC_OFFICE],
        recipients=["Thường trực Tỉnh ủy (để b/c)", "Các Sở: Nội vụ, Tài chính", "UBND các xã"],
        signer_capacity="TM. Tổ công tác",
        signer_title="Tổ trưởng",
        signer_name="Nguyễn Văn Đệ",
    )
    return Notice(**{**notice.__dict__, **changes})


def open_docx(notice: Notice) -> docx.document.Document:
    return docx.Document(BytesIO(to_docx(notice)))


def docx_text(document: docx.document.Document) -> str:
    """Every paragraph's text, the tables' cells included."""
    texts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(texts)


def pdf_text(content: bytes, tmp_path) -> str:
    (tmp_path / "notice.pdf").write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "notice.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_the_date_line_pads_days_below_10_and_months_below_3_as_the_decree_says():
    assert place_and_date("Nghệ An", dt.date(2026, 12, 5)) == "Nghệ An, ngày 05 tháng 12 năm 2026"
    assert place_and_date("Nghệ An", dt.date(2026, 2, 28)) == "Nghệ An, ngày 28 tháng 02 năm 2026"
    assert place_and_date("Nghệ An", dt.date(2026, 1, 1)) == "Nghệ An, ngày 01 tháng 01 năm 2026"
    assert place_and_date("Nghệ An", dt.date(2026, 3, 9)) == "Nghệ An, ngày 09 tháng 3 năm 2026"
    assert place_and_date("Nghệ An", dt.date(2026, 10, 10)) == "Nghệ An, ngày 10 tháng 10 năm 2026"


def test_recipients_are_listed_one_a_line_and_end_with_the_archive_copy():
    assert recipient_lines(["Sở Nội vụ", "Sở Tài chính;"]) == [
        "- Sở Nội vụ;",
        "- Sở Tài chính;",
        "- Lưu: VT.",
    ]
    assert recipient_lines([], archive="VT, TCT") == ["- Lưu: VT, TCT."]


def test_the_body_lists_participants_findings_by_commune_and_numbered_directives():
    lines = [line.text for line in body_lines(sample())]
    assert lines[0] == "I. THÀNH PHẦN"
    assert lines[1].startswith("- Đồng chí Nguyễn Văn Đệ") and lines[1].endswith(";")
    assert lines[2].endswith("Tư pháp.")  # the last item of a list closes it
    assert "1. Xã Đô Lương" in lines and "2. Xã Văn Hiến" in lines
    start = lines.index("III. KẾT LUẬN VÀ GIAO NHIỆM VỤ")
    directives = lines[start + 1 :]
    assert directives[0] == f"1. {HOME_AFFAIRS.task}."
    assert directives[1:5] == [
        "- Cơ quan chủ trì: Sở Nội vụ;",
        "- Cơ quan phối hợp: Ủy ban nhân dân các xã;",
        "- Thời hạn hoàn thành: trước ngày 31/12/2026;",
        f"- Kết quả cần đạt: {HOME_AFFAIRS.expected_result}.",
    ]
    # a directive without supporting agencies has no such line
    assert directives[5:9] == [
        f"2. {FINANCE.task}.",
        "- Cơ quan chủ trì: Sở Tài chính;",
        "- Thời hạn hoàn thành: trước ngày 15/01/2027;",
        f"- Kết quả cần đạt: {FINANCE.expected_result}.",
    ]
    assert (
        "- Cơ quan phối hợp: Trung tâm Phục vụ hành chính công tỉnh, Sở Khoa học và Công nghệ;"
        in (directives)
    )
    assert lines[-1] == "Thông báo để các cơ quan, đơn vị, địa phương biết, thực hiện./."
    assert not any(line.endswith(("..", ";;", ".;", ";.")) for line in lines)


def test_the_word_file_has_the_issuing_body_and_number_left_and_the_motto_and_date_right():
    document = open_docx(sample())
    header = document.tables[0]
    assert header.cell(0, 0).text.split("\n")[:2] == [
        "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN",
        "TỔ CÔNG TÁC SỐ 4",
    ]
    assert header.cell(0, 1).text.split("\n")[:2] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    assert header.cell(1, 0).text == "Số: 12/TB-TCT"
    assert header.cell(1, 1).text == "Nghệ An, ngày 05 tháng 12 năm 2026"
    issuer = header.cell(0, 0).paragraphs[1].runs[0]
    parent = header.cell(0, 0).paragraphs[0].runs[0]
    assert issuer.bold and not parent.bold
    assert all(paragraph.runs[0].bold for paragraph in header.cell(0, 1).paragraphs[:2])
    assert header.cell(1, 1).paragraphs[0].runs[0].italic
    # a short line under the issuing body and the motto: a paragraph with a top border
    for cell in (header.cell(0, 0), header.cell(0, 1)):
        rule = cell.paragraphs[2]._p
        assert rule.find(qn("w:pPr")).find(qn("w:pBdr")).find(qn("w:top")) is not None
    # the header table draws no borders
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {border.get(qn("w:val")) for border in borders} == {"nil"}


def test_the_word_file_has_the_title_the_directives_the_recipients_and_the_signer():
    notice = sample()
    document = open_docx(notice)
    paragraphs = [p for p in document.paragraphs if p.text]
    title, summary = paragraphs[0], paragraphs[1]
    assert title.text == "THÔNG BÁO" and title.runs[0].bold
    assert summary.text == notice.summary and summary.runs[0].bold
    text = docx_text(document)
    for directive in notice.directives:
        assert f"- Cơ quan chủ trì: {directive.lead};" in text
        assert f"trước ngày {directive.deadline:%d/%m/%Y}" in text
        assert directive.expected_result in text
    recipients, signature = document.tables[1].cell(0, 0), document.tables[1].cell(0, 1)
    heading = recipients.paragraphs[0]
    assert heading.text == "Nơi nhận:" and heading.runs[0].bold and heading.runs[0].italic
    assert [p.text for p in recipients.paragraphs[1:]] == [
        "- Thường trực Tỉnh ủy (để b/c);",
        "- Các Sở: Nội vụ, Tài chính;",
        "- UBND các xã;",
        "- Lưu: VT.",
    ]
    lines = signature.paragraphs
    assert [p.text for p in lines] == ["TM. TỔ CÔNG TÁC", "TỔ TRƯỞNG", "Nguyễn Văn Đệ"]
    assert all(p.runs[0].bold for p in lines)


def test_the_word_file_is_a4_with_the_decrees_margins_in_times_new_roman():
    document = open_docx(sample())
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    # stored in twentieths of a point: 15 mm comes back as 14.99 mm
    top, bottom = round(section.top_margin.mm), round(section.bottom_margin.mm)
    left, right = round(section.left_margin.mm), round(section.right_margin.mm)
    assert 20 <= top <= 25 and 20 <= bottom <= 25
    assert 30 <= left <= 35 and 15 <= right <= 20
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert 13 <= normal.font.size.pt <= 14
    # every script slot names the font, or Word sets Vietnamese letters in the theme's font
    for fonts in (
        normal.element.rPr.rFonts,
        document.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:rFonts")),
    ):
        for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
            assert fonts.get(qn(f"w:{slot}")) == "Times New Roman"
        assert not any("Theme" in name or "theme" in name for name in fonts.attrib)
    body = next(p for p in document.paragraphs if p.text.startswith("- Cơ quan chủ trì"))
    assert body.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.JUSTIFY
    assert round(body.paragraph_format.first_line_indent.mm) == 10  # decree: 1 to 1.27 cm


def test_the_pdf_reads_as_the_notice_with_its_diacritics_intact(tmp_path):
    notice = sample()
    content = to_pdf(notice)
    page = PdfReader(BytesIO(content)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    text = pdf_text(content, tmp_path)
    assert unicodedata.is_normalized("NFC", text)
    flat = " ".join(text.split())
    # the parent body's name is wider than the issuer's column: it breaks into two even lines,
    # and the issuer's own name stays beside the motto
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert lines[:3] == [
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "TỈNH NGHỆ AN",
        "TỔ CÔNG TÁC SỐ 4 Độc lập - Tự do - Hạnh phúc",
    ]
    for expected in (
        "TỔ CÔNG TÁC SỐ 4",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 12/TB-TCT",
        "Nghệ An, ngày 05 tháng 12 năm 2026",
        "THÔNG BÁO",
        "I. THÀNH PHẦN",
        "1. Xã Đô Lương",
        "- Cơ quan chủ trì: Sở Nội vụ;",
        "- Cơ quan chủ trì: Văn phòng Ủy ban nhân dân tỉnh;",
        "- Thời hạn hoàn thành: trước ngày 28/02/2027;",
        "Nơi nhận:",
        "- Lưu: VT.",
        "TM. TỔ CÔNG TÁC",
        "TỔ TRƯỞNG",
        "Nguyễn Văn Đệ",
    ):
        assert expected in flat, expected
    assert "Mẫu số" not in flat  # a notice is no numbered form
    # the number on the issuing body's side, the date on the motto's, on one line
    (dated,) = [line for line in text.splitlines() if "Số: 12/TB-TCT" in line]
    assert dated.index("Số:") < dated.index("Nghệ An, ngày")


# Vietnamese letters: the plain ones and every vowel with each of the five tone marks.
TONES = ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
VOWELS = "aăâeêioôơuưy"
LETTERS = "bcdđghklmnpqrstvx" + "".join(
    unicodedata.normalize("NFC", vowel + tone) for vowel in VOWELS for tone in ("", *TONES)
)
VIETNAMESE = st.text(alphabet=LETTERS + LETTERS.upper() + " ", min_size=1, max_size=40)


@settings(max_examples=40, deadline=None)
@given(
    words=st.lists(VIETNAMESE, min_size=12, max_size=12),
    deadline=st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2030, 12, 31)),
)
def test_vietnamese_text_in_any_field_reaches_the_word_file_unchanged(words, deadline):
    (summary, participant, commune, finding, task, lead, helper, result, recipient, name) = words[
        :10
    ]
    place, number = words[10:]
    notice = sample(
        place=place,
        number=number,
        summary=summary,
        participants=[participant],
        findings=[CommuneFindings(commune, [finding])],
        directives=[DirectiveLine(task, lead, deadline, result, supporting=(helper,))],
        recipients=[recipient],
        signer_name=name,
        issuer=commune,
    )
    text = docx_text(open_docx(notice))
    for word in words:
        assert word in text
    assert commune.upper() in text  # the issuing body, in capitals
    assert f"trước ngày {deadline:%d/%m/%Y}" in text


@pytest.mark.parametrize("missing", ["supporting", "recipients"])
def test_a_notice_with_nothing_in_a_list_still_builds(missing, tmp_path):
    notice = sample(directives=[FINANCE]) if missing == "supporting" else sample(recipients=[])
    assert "- Lưu: VT." in docx_text(open_docx(notice))
    assert "- Lưu: VT." in pdf_text(to_pdf(notice), tmp_path)


def test_a_vice_chairmans_group_concludes_in_the_ppcs_name_and_numbers_in_its_series():
    ppc = issuing("tỉnh Nghệ An", "4", "Phó Chủ tịch UBND tỉnh")
    assert (ppc.issuer_parent, ppc.issuer, ppc.issuer_parent_bold) == (
        "Ủy ban nhân dân",
        "tỉnh Nghệ An",
        True,
    )
    assert (ppc.symbol, ppc.signer_capacity, ppc.signer_title) == (
        "TB-UBND",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
    )
    assert ppc.reports_to_chairman
    own = issuing("tỉnh Nghệ An", "4", "Giám đốc Sở Nội vụ")
    assert (own.issuer_parent, own.issuer) == ("Ủy ban nhân dân tỉnh Nghệ An", "Tổ công tác số 4")
    assert (own.symbol, own.signer_capacity, own.signer_title) == (
        "TB-TCT",
        "TM. TỔ CÔNG TÁC",
        "TỔ TRƯỞNG",
    )
    assert not own.reports_to_chairman
    assert issuing("", "4", "PHÓ CHỦ TỊCH Ủy ban nhân dân tỉnh").symbol == "TB-UBND"


def test_the_number_takes_the_issuers_symbol_and_refuses_another():
    assert numbered("95", "TB-UBND") == "95/TB-UBND"
    assert numbered(" 95 / tb-ubnd ", "TB-UBND") == "95/TB-UBND"
    for wrong in ("95/TB-TCT", "", "số 95", "9a/TB-UBND", "٩٥"):
        with pytest.raises(ValueError):
            numbered(wrong, "TB-UBND")


@given(
    ordinal=st.integers(min_value=1, max_value=99999), symbol=st.sampled_from(["TB-UBND", "TB-TCT"])
)
def test_a_number_with_its_symbol_is_kept_as_it_is(ordinal, symbol):
    once = numbered(str(ordinal), symbol)
    assert once == f"{ordinal}/{symbol}" and numbered(once, symbol) == once


ONLINE = Target(
    measure="Tỷ lệ tiếp nhận trực tuyến",
    percent=True,
    where="xã Đô Lương",
    field="",
    comparison=">=",
    threshold=Decimal("51.00"),
    start=dt.date(2026, 10, 1),
    end=dt.date(2026, 12, 31),
)


def test_a_target_reads_in_words():
    assert (
        target_words(ONLINE)
        == "Chỉ tiêu: tỷ lệ tiếp nhận trực tuyến tại xã Đô Lương ≥ 51 % trong quý IV/2026"
    )
    overdue = Target(
        measure="Hồ sơ đang giải quyết quá hạn cuối kỳ",
        percent=False,
        where="xã Văn Hiến",
        field="Đất đai",
        comparison="=",
        threshold=Decimal("0"),
        start=dt.date(2026, 10, 1),
        end=dt.date(2026, 11, 15),
    )
    assert target_words(overdue) == (
        "Chỉ tiêu: số hồ sơ đang giải quyết quá hạn cuối kỳ tại xã Văn Hiến, lĩnh vực Đất đai"
        " = 0 từ ngày 01/10/2026 đến ngày 15/11/2026"
    )
    province = Target("Tỷ lệ đúng hạn", True, "", "", "<=", Decimal("40.50"), *QUARTER_I)
    assert target_words(province) == (
        "Chỉ tiêu: tỷ lệ đúng hạn trên toàn tỉnh ≤ 40,5 % trong quý I/2027"
    )


QUARTER_I = (dt.date(2027, 1, 1), dt.date(2027, 3, 31))


@given(
    year=st.integers(min_value=2000, max_value=2100), quarter=st.integers(min_value=0, max_value=3)
)
def test_a_calendar_quarter_is_named_and_a_day_less_is_not(year, quarter):
    start = dt.date(year, quarter * 3 + 1, 1)
    end = (dt.date(year + 1, 1, 1) if quarter == 3 else dt.date(year, quarter * 3 + 4, 1)) - (
        dt.timedelta(days=1)
    )
    assert period_words(start, end) == f"trong quý {['I', 'II', 'III', 'IV'][quarter]}/{year}"
    shorter = end - dt.timedelta(days=1)
    assert period_words(start, shorter) == f"từ ngày {start:%d/%m/%Y} đến ngày {shorter:%d/%m/%Y}"


def test_sub_tasks_are_numbered_and_set_in_under_their_directive_with_the_target():
    subtask = DirectiveLine(
        "Nâng tỷ lệ tiếp nhận trực tuyến tại xã Đô Lương",
        "UBND xã Đô Lương",
        dt.date(2026, 12, 31),
        "",
        target=ONLINE,
    )
    lines = body_lines(sample(directives=[FINANCE, replace(PPC_OFFICE, subtasks=[subtask])]))
    start = [line.text for line in lines].index(f"2. {PPC_OFFICE.task}.")
    assert [(line.text, line.indent_mm) for line in lines[start + 5 : start + 9]] == [
        ("2.1. Nâng tỷ lệ tiếp nhận trực tuyến tại xã Đô Lương.", 10),
        ("- Cơ quan chủ trì: UBND xã Đô Lương;", 10),
        ("- Thời hạn hoàn thành: trước ngày 31/12/2026;", 10),
        ("- Chỉ tiêu: tỷ lệ tiếp nhận trực tuyến tại xã Đô Lương ≥ 51 % trong quý IV/2026.", 10),
    ]
    assert lines[start].indent_mm == 0


def pages_of(content: bytes, tmp_path) -> list[str]:
    (tmp_path / "notice.pdf").write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "notice.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return text.split("\f")[:-1]


@pytest.mark.parametrize("tasks", range(6, 13))
def test_the_signature_never_stands_alone_on_the_last_page_of_the_pdf(tasks, tmp_path):
    """However long the body, the closing sentence and the line before it share the page of
    "Nơi nhận" and the signature; and pages from the second are numbered at the top."""
    directives = [HOME_AFFAIRS, FINANCE, PPC_OFFICE] * 4
    notice = sample(directives=directives[:tasks])
    pages = pages_of(to_pdf(notice), tmp_path)
    assert len(pages) >= 2
    last = " ".join(pages[-1].split())
    for kept in ("Nơi nhận:", "Nguyễn Văn Đệ", CLOSING_LINE, body_lines(notice)[-2].text):
        assert kept in last, (tasks, kept)
    assert [" ".join(page.split()).startswith(f"{n} ") for n, page in enumerate(pages, 1)] == [
        False,
        *[True] * (len(pages) - 1),
    ]


CLOSING_LINE = "Thông báo để các cơ quan, đơn vị, địa phương biết, thực hiện./."


def test_the_word_file_keeps_the_last_lines_with_the_signature_and_numbers_later_pages():
    document = open_docx(sample())
    body = [p for p in document.paragraphs if p.text]
    assert [p.paragraph_format.keep_with_next for p in body[-3:]] == [None, True, True]
    assert body[-1].text == CLOSING_LINE
    row = document.tables[1].rows[0]._tr
    assert row.trPr.find(qn("w:cantSplit")) is not None
    for cell in document.tables[1].rows[0].cells:
        assert all(p.paragraph_format.keep_with_next for p in cell.paragraphs)
    section = document.sections[0]
    assert section.different_first_page_header_footer
    header = section.header.paragraphs[0]
    assert header.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
    codes = [code.text for code in header._p.iter(qn("w:instrText"))]
    assert codes == [" PAGE "]
    assert not "".join(p.text for p in section.first_page_header.paragraphs)
