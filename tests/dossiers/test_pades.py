"""The PAdES signature of a result PDF, made and checked with pyHanko (no database)."""

import asyncio
import datetime as dt
import io
import re
from concurrent.futures import ThreadPoolExecutor
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyhanko.pdf_utils.reader import PdfFileReader

from haicap.dossiers import demo_authority, pades, pdf

NOW = dt.datetime(2026, 3, 5, 1, 0, tzinfo=dt.UTC)
PASSPHRASE = b"mat-khau-thu"


@cache
def authority() -> demo_authority.Authority:
    return demo_authority.make_authority(NOW)


@cache
def agency_pkcs12() -> bytes:
    return demo_authority.issue_pkcs12(
        authority(), NOW, "17662.01.H40", "Ủy ban nhân dân xã Đô Lương", PASSPHRASE
    )


@cache
def unsigned() -> bytes:
    return pdf.render(
        pdf.FormDocument(
            issuer_parent="ỦY BAN NHÂN DÂN TỈNH NGHỆ AN",
            issuer="ỦY BAN NHÂN DÂN XÃ ĐÔ LƯƠNG",
            form_number="",
            title="THÔNG BÁO",
            paragraphs=[pdf.Line("Kết quả giải quyết hồ sơ 17662.05.H40-260302-0001.")],
            layout=pdf.ADMINISTRATIVE,
        )
    )


@cache
def signed() -> pades.Signed:
    return pades.sign(
        unsigned(), agency_pkcs12(), PASSPHRASE, reason="Kết quả", location="Nghệ An", name="A"
    )


def byte_range(data: bytes) -> tuple[int, int, int, int]:
    found = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", data)
    assert found, "a PAdES signature names the bytes it covers"
    start, first, second, length = (int(n) for n in found.groups())
    return start, first, second, length


def test_a_signed_pdf_verifies_against_its_root():
    result = signed()
    checked = pades.verify(result.pdf, [authority().pem])
    assert checked.verdict == pades.Verdict.VALID and checked.valid
    # the subject names the agency and says it is a test certificate
    assert "Ủy ban nhân dân xã Đô Lương" in result.signer
    assert "TEST — not for production" in result.signer
    assert "17662.01.H40" in result.signer
    assert checked.signer == result.signer
    assert len(result.fingerprint) == 64
    # signing appends an incremental update: the original bytes are still its beginning
    assert result.pdf.startswith(unsigned())


def test_the_signature_covers_the_whole_file_but_its_own_contents():
    data = signed().pdf
    start, first, second, length = byte_range(data)
    assert start == 0 and second + length == len(data)
    # the gap is exactly the hex-encoded signature between < and >
    assert data[first : first + 1] == b"<" and data[second - 1 : second] == b">"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_byte_changed_in_the_signed_range_breaks_it(data):
    original = signed().pdf
    _start, first, second, length = byte_range(original)
    # a byte of the first covered part or of the second, never of the signature's own hex
    offset = data.draw(
        st.one_of(st.integers(0, first - 1), st.integers(second, second + length - 1)),
        label="offset",
    )
    flip = data.draw(st.integers(1, 255), label="xor")
    changed = bytearray(original)
    changed[offset] ^= flip
    assert pades.verify(bytes(changed), [authority().pem]).verdict == pades.Verdict.INVALID


def test_one_byte_of_the_document_text_changed_is_invalid():
    """The first page's content stream, one byte changed: the hand-picked case of the above."""
    original = signed().pdf
    offset = original.index(b"stream\n", original.index(b"/Length")) + 10
    changed = bytearray(original)
    changed[offset] ^= 0x01
    checked = pades.verify(bytes(changed), [authority().pem])
    assert checked.verdict == pades.Verdict.INVALID
    assert checked.reason == "the signed bytes were changed"


def test_a_changed_signature_object_is_invalid_not_unchecked():
    """/Type /Sig turned into /Type /Rig lies in the signed range: the validator refuses to read
    the signature at all, which says the file was changed, not that nothing is known."""
    original = signed().pdf
    offset = original.index(b"/Type /Sig") + len(b"/Type /")
    changed = bytearray(original)
    changed[offset] ^= 0x01
    checked = pades.verify(bytes(changed), [authority().pem])
    assert checked.verdict == pades.Verdict.INVALID
    assert checked.reason.startswith("the signature is malformed")


def test_another_root_does_not_vouch_for_the_signer():
    stranger = demo_authority.make_authority(NOW, "Another TEST CA")
    checked = pades.verify(signed().pdf, [stranger.pem])
    assert checked.verdict == pades.Verdict.UNTRUSTED and not checked.valid


def test_with_no_root_to_check_against_an_intact_file_is_unchecked_a_changed_one_invalid():
    """No root configured: nobody can say whether the signer is trusted (not "untrusted"), but
    a changed file is invalid whatever the roots."""
    assert pades.verify(signed().pdf, []).verdict == pades.Verdict.UNCHECKED
    changed = bytearray(signed().pdf)
    changed[len(changed) // 4] ^= 0x20
    assert pades.verify(bytes(changed), []).verdict == pades.Verdict.INVALID


def test_the_check_reads_the_signers_names_and_the_signing_time():
    approved = dt.datetime(2026, 3, 5, 1, 0, tzinfo=dt.UTC)
    made = pades.sign(
        unsigned(), agency_pkcs12(), PASSPHRASE, reason="r", location="l", name="n", at=approved
    )
    checked = pades.verify(made.pdf, [authority().pem])
    assert checked.names == pades.Signer(
        "Ủy ban nhân dân xã Đô Lương", "17662.01.H40", "TEST — not for production"
    )
    assert checked.signed_at == approved


def test_an_unsigned_or_damaged_file_is_invalid_not_an_error():
    assert pades.verify(unsigned(), [authority().pem]).verdict == pades.Verdict.INVALID
    assert pades.verify(b"not a pdf", [authority().pem]).verdict == pades.Verdict.INVALID
    half = signed().pdf[: len(signed().pdf) // 2]
    assert pades.verify(half, [authority().pem]).verdict == pades.Verdict.INVALID


def test_an_appended_change_after_signing_is_not_covered():
    appended = signed().pdf + b"\n% an update nobody signed\n"
    assert pades.verify(appended, [authority().pem]).verdict == pades.Verdict.INVALID


def test_a_wrong_passphrase_is_refused_before_signing():
    with pytest.raises(pades.BadCredentials):
        pades.sign(unsigned(), agency_pkcs12(), b"wrong", reason="r", location="l", name="n")


def test_the_test_authority_says_so_in_its_name():
    subject = authority().certificate.subject.rfc4514_string()
    assert "haicap TEST CA — not for production" in subject
    reloaded = demo_authority.load_authority(authority().pem, authority().key_pem(b"k"), b"k")
    assert reloaded.certificate == authority().certificate


def test_a_long_agency_name_is_abbreviated_to_fit_the_subject():
    """ "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã Đô Lương" is 77 bytes of UTF-8;
    a name attribute holds 64 (RFC 5280). The usual abbreviations make it 43."""
    name = "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã Đô Lương"
    pkcs12 = demo_authority.issue_pkcs12(authority(), NOW, "17662.02.H40", name, PASSPHRASE)
    subject = pades.load_signer(pkcs12, PASSPHRASE).signing_cert.subject.human_friendly
    assert "Common Name: Văn phòng HĐND và UBND xã Đô Lương" in subject
    assert "Organizational Unit: TEST — not for production" in subject


def test_the_signature_claims_the_moment_given_not_the_machines_clock():
    # 17:50 on 4 December 2026 in Vietnam is 10:50 UTC
    approved = dt.datetime(2026, 12, 4, 10, 50, tzinfo=dt.UTC)
    result = pades.sign(
        unsigned(), agency_pkcs12(), PASSPHRASE, reason="r", location="l", name="n", at=approved
    )
    embedded = PdfFileReader(io.BytesIO(result.pdf)).embedded_signatures[0]
    assert embedded.self_reported_timestamp == approved
    assert pades.verify(result.pdf, [authority().pem]).verdict == pades.Verdict.VALID


def test_signing_and_checking_work_in_a_thread_whose_event_loop_is_running():
    """pyHanko's synchronous calls start an event loop of their own, which asyncio refuses in a
    thread where one runs already (an ASGI server's, a browser driver's in the same process)."""

    async def inside_a_running_loop() -> tuple[pades.Signed, pades.Verification]:
        made = pades.sign(
            unsigned(), agency_pkcs12(), PASSPHRASE, reason="Kết quả", location="Nghệ An", name="B"
        )
        return made, pades.verify(made.pdf, [authority().pem])

    # a thread of its own, so that the loop this test runs is the only one in its thread
    with ThreadPoolExecutor(max_workers=1) as other:
        made, checked = other.submit(asyncio.run, inside_a_running_loop()).result()
    assert checked.verdict == pades.Verdict.VALID
    assert checked.signer == made.signer
