"""The pure core of digitising: any number of page images gives that many image pages, in
order, and any other count is refused (Circular 01/2023 Art. 8)."""

import io

import pikepdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from haicap.dossiers.scans import MAX_PAGES, RefusedScan, build_scan, scan_pages

page = st.builds(
    lambda width, height, shade, kind: _image(width, height, shade, kind),
    # a page of at least 8 pixels: smaller is below the 3-point page PDF allows at 96 dpi
    st.integers(8, 40),
    st.integers(8, 40),
    st.integers(0, 255),
    st.sampled_from(["PNG", "JPEG"]),
)


def _image(width: int, height: int, shade: int, kind: str) -> bytes:
    out = io.BytesIO()
    Image.new("L" if kind == "PNG" else "RGB", (width, height), shade).save(out, kind)
    return out.getvalue()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(page, min_size=1, max_size=6))
def test_n_page_images_make_n_image_pages_in_order(images):
    scan = build_scan(images, len(images))
    assert scan.pages == len(images)
    assert scan_pages(scan.pdf) == [1] * len(images)
    with pikepdf.open(io.BytesIO(scan.pdf)) as pdf:
        sizes = [
            (int(image.Width), int(image.Height))
            for p in pdf.pages
            for image in p.get_images().values()
        ]
    assert sizes == [Image.open(io.BytesIO(i)).size for i in images]


@settings(max_examples=25, deadline=None)
@given(st.lists(page, min_size=1, max_size=4), st.integers(0, 10))
def test_any_other_count_is_refused_saying_how_many_pages_there_are(images, counted):
    if counted == len(images):
        counted += 1
    with pytest.raises(RefusedScan) as refused:
        build_scan(images, counted)
    assert (refused.value.reason, refused.value.pages) == ("count_mismatch", len(images))


def test_nothing_to_scan_and_too_thick_a_paper_are_refused(monkeypatch):
    with pytest.raises(RefusedScan) as empty:
        build_scan([], 0)
    assert empty.value.reason == "no_pages"
    monkeypatch.setattr("haicap.dossiers.scans.MAX_PAGES", 2)
    with pytest.raises(RefusedScan) as thick:
        build_scan([_image(10, 10, 0, "PNG")] * 3, 3)
    assert thick.value.reason == "too_many_pages"
    assert MAX_PAGES == 200
    monkeypatch.setattr("haicap.dossiers.scans.MAX_SCAN_BYTES", 100)
    with pytest.raises(RefusedScan) as heavy:
        build_scan([b"\x89PNG\r\n\x1a\n" + b"0" * 93], 1)  # 101 bytes
    assert heavy.value.reason == "too_big"


def test_the_part_at_fault_is_named():
    with pytest.raises(RefusedScan) as refused:
        build_scan([_image(10, 10, 0, "PNG"), b"GIF89a not taken"], 2)
    assert (refused.value.reason, refused.value.part) == ("unreadable", 2)
