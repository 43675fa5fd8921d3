"""Word, Excel and zip files built by hand for the upload tests, in memory."""

import functools
import zipfile
from io import BytesIO

from docx import Document
from openpyxl import Workbook

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"


def docx_bytes(text: str = "Báo cáo tiến độ của Sở Nội vụ") -> bytes:
    document = Document()
    document.add_paragraph(text)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    workbook = Workbook()
    workbook.active.append(["Xã", "Số hồ sơ"])
    workbook.active.append(["Đô Lương", 12])
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in members.items():
            package.writestr(name, content)
    return out.getvalue()


def odf_bytes(mimetype: str) -> bytes:
    # the mimetype first and stored, as ODF 1.2 Part 3 §3.3 asks
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        package.writestr("content.xml", '<?xml version="1.0"?><office:document-content/>')
        package.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest/>')
    return out.getvalue()


def with_member(package: bytes, name: str, content: bytes) -> bytes:
    """A copy of a zip package with one more member."""
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(package)) as source, zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            target.writestr(member, source.read(member))
        target.writestr(name, content)
    return out.getvalue()


@functools.cache
def docx_bomb(unpacked_mb: int = 300) -> bytes:
    """A package with the parts of a .docx whose document unpacks to ``unpacked_mb`` MB of
    zeros, though the file itself is some hundreds of kilobytes."""
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        with package.open("word/document.xml", "w", force_zip64=True) as member:
            block = bytes(1024 * 1024)
            for _ in range(unpacked_mb):
                member.write(block)
    return out.getvalue()
