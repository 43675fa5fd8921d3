"""The shared upload rules (pure): a dossier's papers are PDF, PNG or JPEG; oversight papers may
also be Word and Excel packages, judged by the parts inside them, and are served under one name."""

from io import BytesIO

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haicap.dossiers import uploads
from tests.dossiers.office_files import (
    DOCX,
    ODS,
    ODT,
    XLSX,
    docx_bomb,
    docx_bytes,
    odf_bytes,
    with_member,
    xlsx_bytes,
    zip_bytes,
)

PDF = b"%PDF-1.4\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(24)
JPEG = b"\xff\xd8\xff\xe0" + bytes(24)


def attachment(name: str, content: bytes) -> uploads.Kind:
    return uploads.attachment_kind_of(name, BytesIO(content), len(content))


def refusal(name: str, content: bytes) -> uploads.RefusedUpload:
    with pytest.raises(uploads.RefusedUpload) as refused:
        attachment(name, content)
    return refused.value


@pytest.mark.parametrize(
    "name, build, content_type, extension",
    [
        ("bao-cao.docx", docx_bytes, DOCX, ".docx"),
        ("so-lieu.xlsx", xlsx_bytes, XLSX, ".xlsx"),
        ("bao-cao.odt", lambda: odf_bytes(ODT), ODT, ".odt"),
        ("so-lieu.ods", lambda: odf_bytes(ODS), ODS, ".ods"),
        ("bao-cao", docx_bytes, DOCX, ".docx"),  # no extension: judged by the content alone
    ],
)
def test_word_and_excel_files_are_oversight_papers(name, build, content_type, extension):
    assert attachment(name, build()) == uploads.Kind(content_type, extension)


def test_the_dossiers_kinds_are_oversight_papers_too():
    assert attachment("bien-ban.pdf", PDF) == uploads.Kind("application/pdf", ".pdf")
    assert attachment("anh.png", PNG) == uploads.Kind("image/png", ".png")
    assert attachment("anh.jpeg", JPEG) == uploads.Kind("image/jpeg", ".jpg")


def test_the_oversight_list_is_the_dossiers_list_and_the_office_formats():
    assert uploads.ATTACHMENT_EXTENSIONS == (
        ".pdf",
        ".png",
        ".jpg",
        ".docx",
        ".xlsx",
        ".odt",
        ".ods",
    )


def test_a_dossiers_papers_stay_pdf_png_and_jpeg():
    word = docx_bytes()
    with pytest.raises(uploads.RefusedUpload) as refused:
        uploads.kind_of(word[:16], len(word))
    assert refused.value.reason == "not_accepted"


@pytest.mark.parametrize(
    "content",
    [
        zip_bytes({"notes.txt": b"plain notes"}),  # a zip renamed .docx
        zip_bytes({"[Content_Types].xml": b"<Types/>"}),  # the package part but no document
        zip_bytes({"word/document.xml": b"<w:document/>"}),  # the document but no package
        zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})[:60],
        b"PK\x03\x04" + bytes(100),  # a zip's first bytes and nothing of a zip after them
        with_member(docx_bytes(), "word/vbaProject.bin", b"\xd0\xcf\x11\xe0"),  # a .docm
        odf_bytes("application/vnd.oasis.opendocument.presentation"),  # an ODF slide deck
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),  # an old binary .doc
    ],
)
def test_what_is_not_a_word_or_excel_package_is_refused(content):
    assert refusal("bao-cao.docx", content).reason == "not_an_attachment"


def test_an_odt_with_no_content_part_is_refused():
    content = zip_bytes({"mimetype": ODT.encode(), "META-INF/manifest.xml": b"<m/>"})
    assert refusal("bao-cao.odt", content).reason == "not_an_attachment"


def test_a_zip_bomb_is_refused_by_what_it_declares():
    bomb = docx_bomb()
    assert len(bomb) < uploads.MAX_UPLOAD_BYTES  # small as a file, 300 MB unpacked
    assert refusal("bao-cao.docx", bomb).reason == "unpacks_too_big"


def test_a_package_of_too_many_parts_is_refused():
    parts = {f"word/media/image{i}.png": b"" for i in range(2001)}
    parts |= {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
    assert refusal("bao-cao.docx", zip_bytes(parts)).reason == "unpacks_too_big"


def test_a_package_just_within_the_limits_is_kept():
    parts = {f"word/media/image{i}.png": b"" for i in range(1998)}
    parts |= {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
    assert attachment("bao-cao.docx", zip_bytes(parts)).extension == ".docx"


@pytest.mark.parametrize(
    "name, content, named, found",
    [
        ("bao-cao.docx", PDF, ".docx", ".pdf"),  # a PDF renamed .docx
        ("so-lieu.xlsx", docx_bytes(), ".xlsx", ".docx"),
        ("anh.pdf", PNG, ".pdf", ".png"),
        ("BAO-CAO.PDF", xlsx_bytes(), ".pdf", ".xlsx"),
    ],
)
def test_a_name_that_says_another_kind_is_refused(name, content, named, found):
    refused = refusal(name, content)
    assert (refused.reason, refused.named, refused.found) == ("name_mismatch", named, found)


def test_empty_and_too_big_are_refused_before_reading():
    assert refusal("x.docx", b"").reason == "empty"
    with pytest.raises(uploads.RefusedUpload) as refused:
        uploads.attachment_kind_of("x.pdf", BytesIO(PDF), 10 * 1024 * 1024 + 1)
    assert refused.value.reason == "too_big"


def test_the_stream_is_left_at_its_start():
    stream = BytesIO(docx_bytes())
    stream.seek(5)
    uploads.attachment_kind_of("bao-cao.docx", stream, len(stream.getvalue()))
    assert stream.tell() == 0


@pytest.mark.parametrize(
    "name, content_type, extension, served",
    [
        ("bien-ban.pdf", "application/pdf", ".pdf", "bien-ban.pdf"),
        ("Tờ khai", "application/pdf", ".pdf", "Tờ khai.pdf"),
        ("anh.JPEG", "image/jpeg", ".jpg", "anh.JPEG"),
        ("anh.pdf", "image/png", ".png", "anh.pdf.png"),
        ("bao-cao.docx", DOCX, ".docx", "bao-cao.docx"),
        ("so-lieu.v2", XLSX, ".xlsx", "so-lieu.v2.xlsx"),
    ],
)
def test_a_paper_is_served_with_its_kinds_extension_once(name, content_type, extension, served):
    assert uploads.download_name(name, content_type, extension) == served


KINDS = [
    ("application/pdf", ".pdf"),
    ("image/png", ".png"),
    ("image/jpeg", ".jpg"),
    (DOCX, ".docx"),
    (XLSX, ".xlsx"),
    (ODT, ".odt"),
    (ODS, ".ods"),
]


@given(name=st.text(max_size=40), kind=st.sampled_from(KINDS))
def test_serving_names_add_an_extension_at_most_once(name, kind):
    served = uploads.download_name(name, *kind)
    assert served in (name, name + kind[1])
    assert uploads.download_name(served, *kind) == served


@given(rest=st.binary(max_size=400))
def test_any_bytes_after_a_zips_first_bytes_are_judged_without_error(rest):
    content = b"PK\x03\x04" + rest
    try:
        kind = attachment("x", content)
    except uploads.RefusedUpload as refused:
        assert refused.reason in {"not_an_attachment", "unpacks_too_big"}
    else:
        assert kind.extension in uploads.ATTACHMENT_EXTENSIONS


@given(content=st.binary(min_size=1, max_size=200))
def test_bytes_of_no_accepted_kind_are_refused(content):
    known = (b"%PDF-", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"PK\x03\x04")
    if not any(content.startswith(magic) for magic in known):
        assert refusal("x", content).reason == "not_an_attachment"
