"""What an uploaded paper may be (pure): its kind read from its content, not its name.

Two lists share these rules. A dossier's papers are scans and photos (PDF, PNG, JPEG). The
papers of oversight (a finding's evidence, a directive update's attachments) are those and the
Word and Excel files departments report in; those are zip packages, checked by the parts their
format requires without unpacking anything to disk.
"""

import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # a scanned dossier paper; larger files are split

# (magic bytes, content type, extension): a dossier's papers
ACCEPTED = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)

# A zip package's central directory is read, never its members unpacked (but the few bytes of an
# ODF "mimetype"), so these guard whoever opens the file later: Word or Excel unpacking a small
# file into gigabytes, or a directory of millions of entries.
MAX_PACKAGE_MEMBERS = 2000
MAX_UNPACKED_BYTES = 256 * 1024 * 1024  # a 10 MB spreadsheet's XML unpacks to some 100-200 MB
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class OfficeFormat:
    """A zip package told by its parts: OOXML by the parts ECMA-376 Part 1 requires beside
    ``[Content_Types].xml`` (Open Packaging Conventions, ECMA-376 Part 2 §10.1.2); ODF by its
    ``mimetype`` member, which names the content type (ODF 1.2 Part 3 §3.3)."""

    content_type: str
    extension: str
    parts: tuple[str, ...]
    odf: bool = False


OFFICE_FORMATS = (
    OfficeFormat(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
        ("[Content_Types].xml", "word/document.xml"),
    ),
    OfficeFormat(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".xlsx",
        ("[Content_Types].xml", "xl/workbook.xml"),
    ),
    OfficeFormat(
        "application/vnd.oasis.opendocument.text", ".odt", ("mimetype", "content.xml"), odf=True
    ),
    OfficeFormat(
        "application/vnd.oasis.opendocument.spreadsheet",
        ".ods",
        ("mimetype", "content.xml"),
        odf=True,
    ),
)

# Macro-enabled Word and Excel files (.docm, .xlsm) hold the same parts and a VBA project; they
# are refused, a report needs no code.
MACRO_PARTS = ("word/vbaProject.bin", "xl/vbaProject.bin")

# The oversight papers: explicitly the dossier's kinds and the office formats.
ATTACHMENT_EXTENSIONS = tuple(e for _m, _c, e in ACCEPTED) + tuple(
    f.extension for f in OFFICE_FORMATS
)

# Other names a file of a kind is often given.
EXTENSION_ALIASES = {".jpeg": "image/jpeg", ".jpe": "image/jpeg"}


@dataclass(frozen=True)
class Kind:
    content_type: str
    extension: str


class RefusedUpload(ValueError):
    """``reason`` lets a page word it in its own language: "empty", "too_big", "not_accepted"
    (not a dossier's paper), "not_an_attachment" (not an oversight paper), "unpacks_too_big"
    (a package past the limits above), "name_mismatch" (the name says another kind: ``named``
    and ``found`` are the two extensions)."""

    def __init__(self, message: str, reason: str, named: str = "", found: str = "") -> None:
        super().__init__(message)
        self.reason = reason
        self.named = named
        self.found = found


def _check_size(size: int) -> None:
    if size == 0:
        raise RefusedUpload("the file is empty", "empty")
    if size > MAX_UPLOAD_BYTES:
        raise RefusedUpload(
            f"the file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB", "too_big"
        )


def _scan_kind(head: bytes) -> Kind | None:
    for magic, content_type, extension in ACCEPTED:
        if head.startswith(magic):
            return Kind(content_type, extension)
    return None


def kind_of(head: bytes, size: int) -> Kind:
    """The kind of a dossier's paper from its first bytes; refuses what is empty, too big or
    not accepted."""
    _check_size(size)
    kind = _scan_kind(head)
    if kind is None:
        raise RefusedUpload("only PDF, PNG and JPEG files are accepted", "not_accepted")
    return kind


def attachment_kind_of(name: str, stream: BinaryIO, size: int) -> Kind:
    """The kind of an oversight paper: a dossier's kind, or a Word or Excel file whose package
    holds its format's parts. ``stream`` is read from the start and left there. A name that
    says one accepted kind of a file that is another is refused: the reader's machine would
    open it with the wrong program."""
    _check_size(size)
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    kind = _scan_kind(head)
    if kind is None and head.startswith(ZIP_MAGIC):
        kind = _package_kind(stream)
        stream.seek(0)
    if kind is None:
        raise RefusedUpload(
            "only PDF, PNG, JPEG, Word (.docx, .odt) and Excel (.xlsx, .ods) files are accepted",
            "not_an_attachment",
        )
    named = _named_content_type(name)
    if named is not None and named != kind.content_type:
        said = _extension_of(name)
        raise RefusedUpload(
            f"the name says {said} but the content is {kind.extension}",
            "name_mismatch",
            named=said,
            found=kind.extension,
        )
    return kind


def _package_kind(stream: BinaryIO) -> Kind | None:
    try:
        with zipfile.ZipFile(stream) as package:
            members = package.infolist()
            if len(members) > MAX_PACKAGE_MEMBERS or (
                sum(m.file_size for m in members) > MAX_UNPACKED_BYTES
            ):
                raise RefusedUpload("the package unpacks to more than the limit", "unpacks_too_big")
            return _office_kind(package, {m.filename for m in members})
    except RefusedUpload:
        raise
    # not a zip, a damaged one, an encrypted member or an unknown compression: not a file a
    # reader opens
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, ValueError):
        return None


def _office_kind(package: zipfile.ZipFile, names: set[str]) -> Kind | None:
    if names.intersection(MACRO_PARTS):
        return None
    for office in OFFICE_FORMATS:
        if not names.issuperset(office.parts):
            continue
        if office.odf and _odf_mimetype(package) != office.content_type:
            continue
        return Kind(office.content_type, office.extension)
    return None


def _odf_mimetype(package: zipfile.ZipFile) -> str:
    # at most 100 bytes read, whatever size the member declares
    with package.open("mimetype") as member:
        return member.read(100).decode("ascii", "replace").strip()


def _extension_of(name: str) -> str:
    stem, dot, extension = name.strip().rpartition(".")
    return f".{extension.lower()}" if dot and stem else ""


def _named_content_type(name: str) -> str | None:
    """The content type an accepted kind's extension in ``name`` claims; None for other names."""
    extension = _extension_of(name)
    if extension in EXTENSION_ALIASES:
        return EXTENSION_ALIASES[extension]
    for _magic, content_type, known in ACCEPTED:
        if extension == known:
            return content_type
    for office in OFFICE_FORMATS:
        if extension == office.extension:
            return office.content_type
    return None


def download_name(name: str, content_type: str, extension: str) -> str:
    """The name a stored paper is served under: its name, with its kind's extension added only
    when the name does not already end in one of that kind's (``x.pdf`` stays ``x.pdf``)."""
    kinds_extensions = {extension} | {e for e, t in EXTENSION_ALIASES.items() if t == content_type}
    if name.lower().endswith(tuple(kinds_extensions)):
        return name
    return f"{name}{extension}"
