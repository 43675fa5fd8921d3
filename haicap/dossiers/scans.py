"""A paper scanned at the desk, made into one PDF with one image per page (pure: no Django).

Decree 118/2025 Art. 17(1)(c) has the desk digitise the paper dossiers it receives; Circular
01/2023/TT-VPCP Art. 8 says how: the scan of a paper is one file whose images are its pages, in
order, and the number of pages is checked. The officer counts the pages of the paper; the scan
must have as many, or it is refused, so a page skipped in the feeder or scanned twice shows
before the copy is kept. img2pdf turns the page images into PDF pages without re-encoding them
(lossless); pikepdf reads a scanned PDF, checks that every page carries an image and merges the
parts into one file. Neither is hand-written PDF code.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

# pikepdf and img2pdf are imported where a scan is read or built: a web worker that never
# digitises a paper does not carry them.
if TYPE_CHECKING:
    import pikepdf

from haicap.dossiers import uploads

MAX_PAGES = 200  # one paper of a dossier; a thicker bundle is several papers
MAX_SCAN_BYTES = 50 * 1024 * 1024  # all parts of one paper together (each is at most 10 MB)


class RefusedScan(ValueError):
    """``reason`` lets a page word the refusal in its reader's language:
    "no_pages", "too_big", "unreadable", "not_scanned", "too_many_pages", "count_mismatch"."""

    def __init__(self, message: str, reason: str, *, part: int = 0, pages: int = 0) -> None:
        super().__init__(message)
        self.reason = reason
        self.part = part  # which uploaded file (1-based), for "unreadable" and "not_scanned"
        self.pages = pages  # how many pages the scan has, for "count_mismatch"


@dataclass(frozen=True)
class Scan:
    pdf: bytes
    pages: int


def build_scan(parts: Sequence[bytes], counted_pages: int) -> Scan:
    """One PDF of the paper from its scanned parts, in order: each PNG or JPEG is one page, each
    PDF brings its pages (each must carry an image). Refuses unless the pages number
    ``counted_pages``, the officer's count of the paper's pages."""
    if not parts:
        raise RefusedScan("no scanned page was given", "no_pages")
    if sum(len(part) for part in parts) > MAX_SCAN_BYTES:
        raise RefusedScan(f"the parts are larger than {MAX_SCAN_BYTES} bytes together", "too_big")
    import pikepdf

    merged = pikepdf.new()
    opened = []  # pikepdf copies a part's pages when the merged file is saved: keep them open
    for number, content in enumerate(parts, start=1):
        part = _as_pdf(content, number)
        opened.append(part)
        for page_number, page in enumerate(part.pages, start=1):
            if not page.get_images():
                raise RefusedScan(
                    f"page {page_number} of part {number} is not a scanned image",
                    "not_scanned",
                    part=number,
                )
        merged.pages.extend(part.pages)
        if len(merged.pages) > MAX_PAGES:
            raise RefusedScan(f"more than {MAX_PAGES} pages", "too_many_pages")
    pages = len(merged.pages)
    if pages != counted_pages:
        raise RefusedScan(
            f"the scan has {pages} pages, the paper was counted at {counted_pages}",
            "count_mismatch",
            pages=pages,
        )
    out = io.BytesIO()
    merged.save(out)
    for part in opened:
        part.close()
    return Scan(pdf=out.getvalue(), pages=pages)


def scan_pages(pdf: bytes) -> list[int]:
    """How many images each page of a PDF carries (a digitised paper has one per page)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        return [len(page.get_images()) for page in document.pages]


def _as_pdf(content: bytes, number: int) -> pikepdf.Pdf:
    """The uploaded part as a PDF: an image becomes one page, losslessly; a PDF is read."""
    import img2pdf
    import pikepdf

    try:
        kind = uploads.kind_of(content[:16], len(content))
    except uploads.RefusedUpload as refusal:
        raise RefusedScan(str(refusal), "unreadable", part=number) from refusal
    try:
        if kind.content_type == "application/pdf":
            return pikepdf.open(io.BytesIO(content))
        return pikepdf.open(io.BytesIO(img2pdf.convert(content)))
    except (img2pdf.ImageOpenError, pikepdf.PdfError, ValueError, OSError) as error:
        raise RefusedScan(f"part {number} cannot be read", "unreadable", part=number) from error
