"""The result a competent agency issues when its leader approves a dossier, as an administrative
document (Decree 30/2020 layout) that is then signed (``pades``) as the electronic result."""

import datetime as dt

from haicap.accounts.models import User
from haicap.calendar.workdays import VIETNAM
from haicap.dossiers.models import Dossier, DossierDocument
from haicap.dossiers.national_forms import _issuer, _place_and_date, when
from haicap.dossiers.pdf import ADMINISTRATIVE, FormDocument, Line

TITLE = "THÔNG BÁO"
SUMMARY = "Kết quả giải quyết thủ tục hành chính"


def result_document(
    dossier: Dossier,
    leader: User,
    moment: dt.datetime,
    papers: list[DossierDocument],
    note: str,
    lookup_url: str,
) -> FormDocument:
    """The agency's notice of the result: what was decided, on which papers (named with their
    SHA-256, so the signature covers exactly the papers approved), signed by the leader."""
    agency = dossier.competent_agency
    parent, issuer = _issuer(agency)
    lines: list[str | Line] = [
        Line(
            f"Ngày {dossier.received_at.astimezone(VIETNAM):%d/%m/%Y}, "
            f"{dossier.receiving_agency} tiếp nhận hồ sơ mã số {dossier.code} đề nghị "
            f"{dossier.procedure} của ông/bà {dossier.applicant_name}."
        ),
        Line(f"{agency} đã giải quyết xong hồ sơ lúc {when(moment)}. Kết quả giải quyết gồm:"),
    ]
    # left-aligned, not justified: a checksum is one long word
    lines += [f"- {paper.name} (SHA-256: {paper.sha256})" for paper in papers]
    if note:
        lines.append(Line(f"Ý kiến của lãnh đạo: {note}"))
    lines.append(
        Line(
            "Văn bản này là kết quả giải quyết thủ tục hành chính dạng điện tử, được ký số bởi "
            f"{agency} (Nghị định 118/2025/NĐ-CP, Điều 22)."
        )
    )
    return FormDocument(
        issuer_parent=parent,
        issuer=issuer,
        form_number="",
        title=TITLE,
        summary=SUMMARY,
        reference=f"Mã hồ sơ: {dossier.code}",
        paragraphs=lines,
        place_and_date=_place_and_date(agency, moment),
        signatures=[("THỦ TRƯỞNG CƠ QUAN", leader.full_name or leader.get_username())],
        recipients=[f"- Ông/bà {dossier.applicant_name};", f"- Lưu: hồ sơ {dossier.code}."],
        qr_url=lookup_url,
        layout=ADMINISTRATIVE,
    )
