"""The electronic result: signed when the leader approves, kept with the dossier, checked on the
desk, and downloaded by the applicant with the code and PIN (Decree 118/2025 Art. 22)."""

import datetime as dt
import hashlib
import io
import os
import re
import subprocess
import unicodedata
from functools import cache

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pypdf import PdfReader

from haicap.accounts.models import Membership, Position
from haicap.core import clock
from haicap.core.models import AuditRecord
from haicap.core.roles import Role
from haicap.dossiers import demo_authority, pades, result_paper, selectors, services, signing
from haicap.dossiers.demo_signing import TRUST_FILE, authority_dir
from haicap.dossiers.models import Dossier, DossierDocument, SignatureCheck, SignedResult
from haicap.dossiers.signing import SigningUnavailable
from haicap.units.models import Agency
from tests.api.test_dossiers_api import bearer, post
from tests.conftest import client_for
from tests.dossiers.test_pades import NOW, unsigned
from tests.dossiers.test_scenarios import act, at, receive
from tests.portal.helpers import visitor

pytestmark = pytest.mark.django_db

DO_LUONG_OFFICE = "17662.02.H40"  # handles X.HT.007 received at the Đô Lương desk
OFFICE_NAME = "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã Đô Lương"
# the body that issues, and signs, the result the office prepared
DO_LUONG_COMMITTEE = "17662.01.H40"
COMMITTEE_NAME = "Ủy ban nhân dân xã Đô Lương"
PASSPHRASE = "mat-khau-xa-do-luong"


@cache
def authority() -> demo_authority.Authority:
    return demo_authority.make_authority(NOW)


@pytest.fixture
def signing_on(settings, tmp_path) -> demo_authority.Authority:
    """Signing required, the test authority trusted, and Đô Lương's People's Committee holding
    a certificate from it (no other agency has one)."""
    settings.SIGNING_DIR = tmp_path / "signing"
    settings.RESULT_SIGNING = "required"
    trust = tmp_path / "signing" / "trust"
    trust.mkdir(parents=True)
    (trust / "root.pem").write_bytes(authority().pem)
    pkcs12 = demo_authority.issue_pkcs12(
        authority(), NOW, DO_LUONG_COMMITTEE, COMMITTEE_NAME, PASSPHRASE.encode()
    )
    signing.install(DO_LUONG_COMMITTEE, pkcs12, PASSPHRASE)
    return authority()


def awaiting_approval(user) -> tuple[str, str]:
    """A dossier received Monday 2 March 2026, submitted for approval on the 3rd; its PIN."""
    received = receive(user, at(3, 2, 9), "X.HT.007")
    code = received.dossier.code
    act(user, "tiepnhan.doluong", at(3, 2, 9, 30), code, "forward")
    act(user, "chuyenvien.doluong", at(3, 3, 10), code, "submit")
    return code, received.pin


def stored_pdf(code: str) -> bytes:
    with SignedResult.objects.get(dossier__code=code).document.file.open("rb") as f:
        return f.read()


def test_approving_signs_the_result_and_keeps_it_with_the_dossier(user, signing_on):
    code, _pin = awaiting_approval(user)
    draft = DossierDocument.objects.get(dossier__code=code, event__action="submit")
    dossier = act(user, "lanhdao.doluong", at(3, 5, 8), code, "approve", note="Đồng ý cấp.")
    assert dossier.step == "result_ready"

    result = SignedResult.objects.get(dossier=dossier)
    approve = dossier.events.get(action="approve")
    data = stored_pdf(code)
    assert result.event == approve and result.document.event == approve
    assert result.agency.code == DO_LUONG_COMMITTEE  # the issuing body signed it
    assert result.level == "PAdES-B-B"
    assert result.document.sha256 == hashlib.sha256(data).hexdigest()
    assert result.document.size == len(data) and data.startswith(b"%PDF")
    # the approving event's history records the signing
    assert approve.data["result_signed"] == {
        "level": "PAdES-B-B",
        "number": "1/TB-UBND",
        "signer": result.signer,
        "certificate_serial": result.certificate_serial,
        "sha256": result.document.sha256,
    }
    assert "Common Name: Ủy ban nhân dân xã Đô Lương" in result.signer
    assert AuditRecord.objects.filter(action="dossier.result_signed").count() == 1
    # what it says: the agency, the dossier, the paper approved and its checksum, the decision
    text = " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())
    assert code in text
    assert "THÔNG BÁO" in text and "Kết quả giải quyết thủ tục hành chính" in text
    # the approved paper is the result the procedure gives, not a draft
    assert f"- Giấy xác nhận tình trạng hôn nhân (SHA-256: {draft.sha256})" in text
    assert "dự thảo" not in text.lower()
    assert "Ý kiến của lãnh đạo: Đồng ý cấp." in text
    # signed on Thursday 5 March 2026 at 08:00 in Vietnam
    assert "08 giờ 00 phút, ngày 05/03/2026" in text
    assert result.number == "1/TB-UBND"
    assert selectors.check_signed_result(result).verdict == pades.Verdict.VALID


def test_a_byte_changed_in_the_stored_result_shows_as_invalid(user, signing_on):
    code, _pin = awaiting_approval(user)
    act(user, "lanhdao.doluong", at(3, 5, 8), code, "approve")
    result = SignedResult.objects.get(dossier__code=code)
    data = bytearray(stored_pdf(code))
    data[len(data) // 4] ^= 0x20  # inside the first signed range
    with open(result.document.file.path, "wb") as f:
        f.write(bytes(data))
    assert selectors.check_signed_result(result).verdict == pades.Verdict.INVALID
    page = client_for("lanhdao.doluong").get(f"/desk/ho-so/{code}/").content.decode()
    assert "Chữ ký số không hợp lệ" in page and "Đã ký số — hợp lệ" not in page


def test_a_root_the_operator_does_not_trust_gives_not_trusted(user, signing_on, settings):
    code, _pin = awaiting_approval(user)
    act(user, "lanhdao.doluong", at(3, 5, 8), code, "approve")
    result = SignedResult.objects.get(dossier__code=code)
    assert selectors.check_signed_result(result).valid  # kept as valid against the old root
    trust = settings.SIGNING_DIR / "trust"
    (trust / "root.pem").write_bytes(demo_authority.make_authority(NOW, "Other CA").pem)
    assert selectors.check_signed_result(result).verdict == pades.Verdict.UNTRUSTED
    page = client_for("lanhdao.doluong").get(f"/desk/ho-so/{code}/").content.decode()
    assert "không phải của tổ chức cung cấp dịch vụ tin cậy" in page


def test_an_agency_without_credentials_cannot_approve_and_nothing_is_saved(
    user, signing_on, settings
):
    code, _pin = awaiting_approval(user)
    for path in (settings.SIGNING_DIR / "agencies").iterdir():
        path.unlink()  # the operator has not installed the office's certificate
    before = Dossier.objects.get(code=code)
    events = before.events.count()
    documents = DossierDocument.objects.filter(dossier=before).count()
    audits = AuditRecord.objects.count()
    with pytest.raises(SigningUnavailable) as refused:
        act(user, "lanhdao.doluong", at(3, 5, 8), code, "approve")
    assert refused.value.status == 409
    # in the language of the request (Vietnamese by default), naming the body and the file
    assert f"{COMMITTEE_NAME} chưa có chứng thư chữ ký số" in refused.value.detail
    assert f"{DO_LUONG_COMMITTEE}.p12" in refused.value.detail
    after = Dossier.objects.get(code=code)
    assert (after.step, after.version, after.finished_at) == ("approval", before.version, None)
    assert after.events.count() == events
    assert DossierDocument.objects.filter(dossier=after).count() == documents
    assert not SignedResult.objects.exists()
    assert AuditRecord.objects.count() == audits
    # the leader reads why on the desk, in Vietnamese
    page = client_for("lanhdao.doluong").post(
        f"/desk/ho-so/{code}/xu-ly/", {"action": "approve", "version": after.version}
    )
    assert page.status_code == 409
    assert "chưa có chứng thư chữ ký số" in page.content.decode()
    assert Dossier.objects.get(code=code).step == "approval"


def test_a_passphrase_that_does_not_open_the_key_is_refused(user, signing_on, settings):
    code, _pin = awaiting_approval(user)
    (settings.SIGNING_DIR / "agencies" / f"{DO_LUONG_COMMITTEE}.pass").write_text("sai")
    with pytest.raises(SigningUnavailable, match="không mở được bằng mật khẩu"):
        act(user, "lanhdao.doluong", at(3, 5, 8), code, "approve")
    assert Dossier.objects.get(code=code).step == "approval"


def test_the_passphrase_may_come_from_the_environment(user, signing_on, settings, monkeypatch):
    code, _pin = awaiting_approval(user)
    (settings.SIGNING_DIR / "agencies" / f"{DO_LUONG_COMMITTEE}.pass").unlink()
    monkeypatch.setenv("HAICAP_SIGNING_PASSPHRASE", PASSPHRASE)
    act(user, "lanhdao.doluong", at(3, 5, 8), code, "approve")
    assert SignedResult.objects.filter(dossier__code=code).exists()


def test_with_signing_off_the_result_is_approved_unsigned(user, settings, tmp_path):
    settings.SIGNING_DIR = tmp_path / "nothing-here"
    settings.RESULT_SIGNING = "off"
    code, _pin = awaiting_approval(user)
    assert act(user, "lanhdao.doluong", at(3, 5, 8), code, "approve").step == "result_ready"
    assert not SignedResult.objects.exists()


def test_the_desk_shows_the_signature_valid_and_serves_the_signed_file(user, signing_on):
    code, _pin = awaiting_approval(user)
    act(user, "lanhdao.doluong", at(3, 5, 8), code, "approve")
    desk = client_for("tiepnhan.doluong")
    page = desk.get(f"/desk/ho-so/{code}/").content.decode()
    assert "Đã ký số — hợp lệ" in page
    downloaded = desk.get(f"/desk/ho-so/{code}/ket-qua-dien-tu.pdf")
    assert downloaded.status_code == 200 and downloaded["Content-Type"] == "application/pdf"
    assert b"".join(downloaded.streaming_content) == stored_pdf(code)
    # another commune's desk sees neither the dossier nor its result
    other = client_for("tiepnhan.vanhien").get(f"/desk/ho-so/{code}/ket-qua-dien-tu.pdf")
    assert other.status_code == 404


def test_the_applicant_downloads_the_result_only_after_giving_the_pin(user, signing_on):
    code, pin = awaiting_approval(user)
    act(user, "lanhdao.doluong", at(3, 5, 8), code, "approve")
    download = f"/tra-cuu-ho-so/{code}/ket-qua.pdf"
    citizen = visitor()
    # no PIN given yet: back to the look-up, with the code filled in
    refused = citizen.get(download)
    assert refused.status_code == 302 and refused["Location"] == f"/tra-cuu-ho-so/?ma={code}"
    wrong_pin = "000000" if pin != "000000" else "111111"
    assert citizen.post("/tra-cuu-ho-so/", {"code": code, "pin": wrong_pin}).status_code == 404
    assert citizen.get(download).status_code == 302
    page = citizen.post("/tra-cuu-ho-so/", {"code": code, "pin": pin})
    assert download in page.content.decode()
    served = citizen.get(download)
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert b"".join(served.streaming_content) == stored_pdf(code)
    # another browser without the PIN gets nothing
    assert Client().get(download).status_code == 302
    # a PIN reissued at the desk closes the download opened with the old one
    services.reissue_pin(user("tiepnhan.doluong"), code)
    assert citizen.get(download).status_code == 302


def test_the_look_up_says_the_result_was_handed_back_electronically(user, signing_on):
    code, pin = awaiting_approval(user)
    act(user, "lanhdao.doluong", at(3, 5, 8), code, "approve")
    citizen = visitor()
    before = citizen.post("/tra-cuu-ho-so/", {"code": code, "pin": pin}).content.decode()
    assert 'data-testid="returned-via"' not in before  # not handed back yet
    act(user, "tiepnhan.doluong", at(3, 5, 9), code, "return_result", returned_via="electronic")
    after = citizen.post("/tra-cuu-ho-so/", {"code": code, "pin": pin}).content.decode()
    assert 'Result handed back</dt><dd data-testid="returned-via">Electronically</dd>' in after


def test_the_demo_command_makes_a_test_ca_once_and_a_certificate_per_deciding_agency(
    settings, tmp_path, capsys
):
    settings.SIGNING_DIR = tmp_path / "signing"
    call_command("create_demo_signing")
    first = capsys.readouterr().out
    assert "TEST CA — not for production (created" in first
    ca = (authority_dir() / "ca.pem").read_bytes()
    assert (settings.SIGNING_DIR / "trust" / TRUST_FILE).read_bytes() == ca
    root = demo_authority.load_authority(
        ca,
        (authority_dir() / "ca-key.pem").read_bytes(),
        (authority_dir() / "passphrase").read_bytes(),
    )
    assert "haicap TEST CA — not for production" in root.certificate.subject.rfc4514_string()
    assert (authority_dir() / "ca-key.pem").stat().st_mode & 0o077 == 0
    agencies = settings.SIGNING_DIR / "agencies"
    p12 = agencies / f"{DO_LUONG_COMMITTEE}.p12"
    assert p12.stat().st_mode & 0o077 == 0
    # the Committee issues the commune's results, a department its own: each has a certificate;
    # neither the desk nor the office that prepares the Committee's results signs any
    assert (agencies / "000.05.00.H40.p12").exists()  # Sở Tư pháp
    assert not (agencies / "17662.05.H40.p12").exists()
    assert not (agencies / f"{DO_LUONG_OFFICE}.p12").exists()
    call_command("create_demo_signing")
    again = capsys.readouterr().out
    assert "(already there" in again and "0 agency certificates issued" in again
    assert (authority_dir() / "ca.pem").read_bytes() == ca
    # the certificate it issued opens with the passphrase it wrote, and chains to the trust root
    office = signing.credentials_for(Agency.objects.get(code=DO_LUONG_COMMITTEE))
    signed = pades.sign(
        unsigned(), office.pkcs12, office.passphrase, reason="r", location="l", name="n"
    )
    assert pades.verify(signed.pdf, signing.trust_roots()).valid


def test_the_demo_certificates_cover_the_loaded_approvals_months_back(settings, tmp_path):
    settings.SIGNING_DIR = tmp_path / "signing"
    loaded = dt.datetime(2026, 12, 6, 23, 8, tzinfo=dt.UTC)
    with clock.fixed_at(loaded):
        call_command("create_demo_signing")
    office = signing.credentials_for(Agency.objects.get(code=DO_LUONG_COMMITTEE))
    signer = pades.load_signer(office.pkcs12, office.passphrase)
    # valid from a day before 120 days before the load: 7 August 2026, 23:08 UTC
    assert signer.signing_cert.not_valid_before == dt.datetime(2026, 8, 7, 23, 8, tzinfo=dt.UTC)


def test_the_api_answers_an_agency_without_credentials_with_a_problem(user, signing_on, settings):
    code, _pin = awaiting_approval(user)
    (settings.SIGNING_DIR / "agencies" / f"{DO_LUONG_COMMITTEE}.p12").unlink()
    leader = bearer("lanhdao.doluong")
    version = Dossier.objects.get(code=code).version
    answer = post(
        leader,
        f"/api/v1/dossiers/{code}/actions",
        {"action": "approve", "expected_version": version},
    )
    assert answer.status_code == 409
    assert answer["Content-Type"] == "application/problem+json"
    assert answer.json()["code"] == "signing_unavailable"
    assert Dossier.objects.get(code=code).version == version


def test_only_the_papers_last_submitted_make_the_result(user, signing_on):
    """Sent back and submitted again with a new draft: the result names the new one only."""
    code, _pin = awaiting_approval(user)
    first = DossierDocument.objects.get(dossier__code=code, event__action="submit")
    act(user, "lanhdao.doluong", at(3, 3, 14), code, "send_back", note="Sửa lại tên.")
    with clock.fixed_at(at(3, 4, 9)):
        second = services.attach_document(
            user("chuyenvien.doluong"),
            code,
            "Dự thảo đã sửa",
            SimpleUploadedFile("du-thao-2.pdf", b"%PDF-1.4\n% sua lai\n%%EOF\n"),
        )
    act(user, "chuyenvien.doluong", at(3, 4, 9), code, "submit", document_ids=[second.pk])
    assert first.sha256 != second.sha256
    act(user, "lanhdao.doluong", at(3, 5, 8), code, "approve")
    text = "".join(PdfReader(io.BytesIO(stored_pdf(code))).pages[0].extract_text().split())
    assert second.sha256 in text and first.sha256 not in text


def pdftotext(data: bytes, tmp_path) -> str:
    (tmp_path / "result.pdf").write_bytes(data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "result.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return unicodedata.normalize("NFC", text)


def test_the_result_is_numbered_and_issued_by_the_commune_peoples_committee(
    user, signing_on, tmp_path
):
    code, _pin = awaiting_approval(user)
    act(user, "lanhdao.doluong", at(3, 5, 8), code, "approve")
    text = pdftotext(stored_pdf(code), tmp_path)
    header = text.split("THÔNG BÁO")[0]
    # the Committee decides; its office prepared the dossier and is not the issuing body
    assert "ỦY BAN NHÂN DÂN" in header and "XÃ ĐÔ LƯƠNG" in header
    assert "VĂN PHÒNG" not in header
    # the Committee's first result of 2026, Decree 30's "Số: number/type-body"
    assert "Số: 1/TB-UBND" in header
    assert "Đô Lương, ngày 05 tháng 03 năm 2026" in header
    # a vice chairman signs for the chairman, his name under it
    signing = text.split("Nơi nhận")[1]
    assert "THỦ TRƯỞNG CƠ QUAN" not in text
    assert signing.index("KT. CHỦ TỊCH") < signing.index("PHÓ CHỦ TỊCH")
    assert signing.index("PHÓ CHỦ TỊCH") < signing.index("Đặng Văn Lương")
    # the signature claims the approval's moment: 08:00 in Vietnam is 01:00 UTC
    embedded = PdfFileReader(io.BytesIO(stored_pdf(code)), strict=False).embedded_signatures[0]
    assert embedded.self_reported_timestamp == dt.datetime(2026, 3, 5, 1, 0, tzinfo=dt.UTC)

    # the next result of the Committee that year takes the next number
    second, _pin = awaiting_approval(user)
    act(user, "lanhdao.doluong", at(3, 5, 9), second, "approve")
    assert SignedResult.objects.get(dossier__code=second).number == "2/TB-UBND"


def test_the_chairman_signs_in_his_own_title(user, signing_on, tmp_path):
    Membership.objects.filter(user=user("lanhdao.doluong"), role=Role.LEADER).update(
        position=Position.HEAD
    )
    code, _pin = awaiting_approval(user)
    act(user, "lanhdao.doluong", at(3, 5, 8), code, "approve")
    signing = pdftotext(stored_pdf(code), tmp_path).split("Nơi nhận")[1]
    assert "CHỦ TỊCH" in signing and "KT." not in signing and "PHÓ" not in signing


def test_a_department_head_signs_as_director_and_the_department_issues(user):
    department = Agency.objects.get(code="000.05.00.H40")  # Sở Tư pháp
    assert result_paper.issuing_body(department) == department
    leader = user("chuyenvien.sotuphap")
    Membership.objects.create(
        user=leader, agency=department, role=Role.LEADER, position=Position.HEAD
    )
    assert result_paper.signing_capacity(leader, department, department) == "GIÁM ĐỐC"
    Membership.objects.filter(user=leader, role=Role.LEADER).update(position=Position.DEPUTY)
    assert (
        result_paper.signing_capacity(leader, department, department)
        == "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
    )


def signer_names(pdf: bytes) -> tuple[str, str]:
    """The common name and the organisation of the certificate that signed ``pdf``, as the
    signature embedded in the file carries it."""
    embedded = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures[0]
    subject = embedded.signer_cert.subject.native
    return subject["common_name"], subject["organization_name"]


def install_certificate(code: str, name: str) -> None:
    pkcs12 = demo_authority.issue_pkcs12(authority(), NOW, code, name, PASSPHRASE.encode())
    signing.install(code, pkcs12, PASSPHRASE)


def test_the_commune_committee_signs_the_result_its_office_prepared(user, signing_on):
    """The result is issued in the name of "ỦY BAN NHÂN DÂN XÃ ĐÔ LƯƠNG": the Committee's
    certificate signs it, even where its office (the competent agency) holds one too."""
    install_certificate(DO_LUONG_OFFICE, OFFICE_NAME)
    code, _pin = awaiting_approval(user)
    assert Dossier.objects.get(code=code).competent_agency.code == DO_LUONG_OFFICE
    act(user, "lanhdao.doluong", at(3, 5, 8), code, "approve")
    assert signer_names(stored_pdf(code)) == (COMMITTEE_NAME, DO_LUONG_COMMITTEE)
    assert SignedResult.objects.get(dossier__code=code).agency.code == DO_LUONG_COMMITTEE


def test_a_department_signs_its_own_result(user, signing_on):
    justice = Agency.objects.get(code="000.05.00.H40")  # Sở Tư pháp
    install_certificate(justice.code, justice.name)
    specialist = user("chuyenvien.sotuphap")
    Membership.objects.create(
        user=specialist, agency=justice, role=Role.LEADER, position=Position.HEAD
    )
    received = receive(
        user, at(3, 2, 9), "T.TP.001", desk="000.02.00.H40", username="tiepnhan.tinh"
    )
    code = received.dossier.code
    act(user, "tiepnhan.tinh", at(3, 2, 9, 30), code, "forward")
    act(user, "chuyenvien.sotuphap", at(3, 2, 10), code, "assign", assignee=specialist)
    act(user, "chuyenvien.sotuphap", at(3, 3, 10), code, "submit")
    act(user, "chuyenvien.sotuphap", at(3, 5, 8), code, "approve")
    assert signer_names(stored_pdf(code)) == ("Sở Tư pháp", justice.code)


def test_the_desk_says_in_vietnamese_who_signed_when_and_that_the_certificate_is_a_test(
    user, signing_on
):
    code, _pin = awaiting_approval(user)
    act(user, "lanhdao.doluong", at(3, 5, 8), code, "approve")
    page = client_for("tiepnhan.doluong").get(f"/desk/ho-so/{code}/").content.decode()
    line = " ".join(page.split('data-testid="signer">')[1].split("</span>")[0].split())
    assert line == (
        "Ký bởi: Ủy ban nhân dân xã Đô Lương (17662.01.H40) · lúc 05/03/2026 08:00 · "
        "chuẩn PAdES-B-B · <strong>chứng thư THỬ NGHIỆM, không dùng thật</strong>"
    )
    assert "Common Name" not in page and "not for production" not in page


def signature_text(page: str) -> str:
    """The look-up's sentence on the signature, tags removed."""
    part = page.split('data-testid="signature"')[1].split("</p>")[0].split(">", 1)[1]
    return " ".join(re.sub(r"<[^>]+>", " ", part).split())


def test_the_look_up_tells_the_applicant_who_signed_when_and_that_it_is_valid(user, signing_on):
    code, pin = awaiting_approval(user)
    act(user, "lanhdao.doluong", at(3, 5, 8), code, "approve")
    page = Client().post("/tra-cuu-ho-so/", {"code": code, "pin": pin}).content.decode()
    assert signature_text(page) == (
        "Chữ ký số hợp lệ: Ủy ban nhân dân xã Đô Lương đã ký số kết quả lúc 05/03/2026 08:00, "
        "và văn bản chưa bị thay đổi từ khi ký. chứng thư THỬ NGHIỆM, không dùng thật"
    )


def test_a_result_is_checked_once_for_the_desk_and_the_look_up(user, signing_on, monkeypatch):
    checks = []
    verify = pades.verify

    def counted(pdf: bytes, roots) -> pades.Verification:
        checks.append(hashlib.sha256(pdf).hexdigest())
        return verify(pdf, roots)

    monkeypatch.setattr(pades, "verify", counted)
    code, pin = awaiting_approval(user)
    act(user, "lanhdao.doluong", at(3, 5, 8), code, "approve")
    desk = client_for("tiepnhan.doluong").get(f"/desk/ho-so/{code}/").content.decode()
    assert "Đã ký số — hợp lệ" in desk
    assert checks == [hashlib.sha256(stored_pdf(code)).hexdigest()]
    look_up = Client().post("/tra-cuu-ho-so/", {"code": code, "pin": pin}).content.decode()
    assert signature_text(look_up).startswith("Chữ ký số hợp lệ")
    client_for("lanhdao.doluong").get(f"/desk/ho-so/{code}/")
    assert len(checks) == 1  # the second and third views read the verdict kept by the first
    assert SignatureCheck.objects.get().verdict == "valid"


def test_a_changed_file_is_checked_again_and_shown_invalid_on_both_pages(user, signing_on):
    code, pin = awaiting_approval(user)
    act(user, "lanhdao.doluong", at(3, 5, 8), code, "approve")
    result = SignedResult.objects.get(dossier__code=code)
    assert selectors.check_signed_result(result).valid  # kept as valid for this file
    data = bytearray(stored_pdf(code))
    data[len(data) // 4] ^= 0x20
    with open(result.document.file.path, "wb") as f:
        f.write(bytes(data))
    assert selectors.check_signed_result(result).verdict == pades.Verdict.INVALID
    look_up = Client().post("/tra-cuu-ho-so/", {"code": code, "pin": pin}).content.decode()
    assert signature_text(look_up).startswith(
        "Chữ ký số không hợp lệ: tệp không còn như khi Ủy ban nhân dân xã Đô Lương ký."
    )
    assert SignatureCheck.objects.count() == 2  # one verdict per file


def test_a_check_that_cannot_run_says_so_and_not_invalid(user, signing_on):
    code, pin = awaiting_approval(user)
    act(user, "lanhdao.doluong", at(3, 5, 8), code, "approve")
    result = SignedResult.objects.get(dossier__code=code)
    os.remove(result.document.file.path)  # the storage cannot give the file now
    desk = client_for("tiepnhan.doluong").get(f"/desk/ho-so/{code}/").content.decode()
    assert "Chưa kiểm tra được chữ ký số lúc này" in desk and "không hợp lệ" not in desk
    # who signed, as recorded when it was signed
    assert "Ký bởi: Ủy ban nhân dân xã Đô Lương (17662.01.H40)" in desk
    look_up = Client().post("/tra-cuu-ho-so/", {"code": code, "pin": pin}).content.decode()
    assert signature_text(look_up).startswith("Chưa kiểm tra được chữ ký số lúc này.")
    assert not SignatureCheck.objects.exists()  # nothing kept: the next view tries again


def test_with_no_trusted_root_configured_an_intact_result_is_unchecked(user, signing_on, settings):
    code, _pin = awaiting_approval(user)
    act(user, "lanhdao.doluong", at(3, 5, 8), code, "approve")
    (settings.SIGNING_DIR / "trust" / "root.pem").unlink()
    result = SignedResult.objects.get(dossier__code=code)
    assert selectors.check_signed_result(result).verdict == pades.Verdict.UNCHECKED


def test_a_signed_result_goes_out_electronically_and_the_log_book_says_it_was_downloaded(
    user, signing_on
):
    code, _pin = awaiting_approval(user)
    desk = client_for("tiepnhan.doluong")
    page = desk.get(reverse("desk:dossier", args=[code])).content.decode()
    assert 'value="electronic"' not in page  # nothing signed yet: not offered
    act(user, "lanhdao.doluong", at(3, 5, 8), code, "approve")
    page = desk.get(reverse("desk:dossier", args=[code])).content.decode()
    assert 'value="electronic"' in page
    act(user, "tiepnhan.doluong", at(3, 5, 9), code, "return_result", returned_via="electronic")
    downloaded = "Bản điện tử: người nộp tải về qua Cổng Dịch vụ công hoặc trang tra cứu"
    page = desk.get(reverse("desk:dossier", args=[code])).content.decode()
    shown = page[page.index('data-testid="collected"') :].split("</dd>", 1)[0]
    assert downloaded in shown and "05/03/2026 09:00" in shown
    query = {"since": "2026-03-01", "until": "2026-03-31"}
    book = desk.get(reverse("desk:log_book"), query).content.decode()
    row = book[book.index(code) :].split("</tr>", 1)[0]
    assert downloaded in row
    printed = " ".join(
        pdf_text_of(desk.get(reverse("desk:log_book"), {**query, "format": "pdf"})).split()
    )
    assert downloaded in printed


def pdf_text_of(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return unicodedata.normalize("NFC", "\n".join(p.extract_text() for p in reader.pages))
