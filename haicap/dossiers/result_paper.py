"""The result a competent agency issues when its leader approves a dossier, as an administrative
document (Decree 30/2020 layout) that is then signed (``pades``) as the electronic result."""

import datetime as dt

from haicap.accounts.models import Membership, Position, User
from haicap.calendar.workdays import VIETNAM
from haicap.core.roles import Role
from haicap.dossiers.models import Dossier, DossierDocument
from haicap.dossiers.national_forms import _issuer, _place_and_date, when
from haicap.dossiers.pdf import ADMINISTRATIVE, FormDocument, Line
from haicap.dossiers.signing_capacity import capacity
from haicap.units.kinds import AgencyKind
from haicap.units.models import Agency

TITLE = "THÔNG BÁO"
TYPE_CODE = "TB"  # "Thông báo" (Decree 30/2020/NĐ-CP, Appendix III)
SUMMARY = "Kết quả giải quyết thủ tục hành chính"

# An office of a People's Committee prepares and checks the dossiers of the procedures the
# Committee (or its Chairman) decides, and decides none in its own name: the Committee is the
# competent authority that issues the result (Law on Organisation of Local Government
# 72/2025/QH15: the People's Committee and its Chairman at each tier; their office advises).
ACTS_FOR_COMMITTEE = {
    AgencyKind.COUNCIL_COMMITTEE_OFFICE: AgencyKind.COMMUNE_PEOPLES_COMMITTEE,
    AgencyKind.PPC_OFFICE: AgencyKind.PROVINCIAL_PEOPLES_COMMITTEE,
}
COMMITTEES = {AgencyKind.COMMUNE_PEOPLES_COMMITTEE, AgencyKind.PROVINCIAL_PEOPLES_COMMITTEE}
# The title of each kind of body's head, whom a leader signs as or for (Decree 30, Art. 13).
HEAD_TITLES = {
    AgencyKind.COMMUNE_PEOPLES_COMMITTEE: "Chủ tịch",
    AgencyKind.PROVINCIAL_PEOPLES_COMMITTEE: "Chủ tịch",
    AgencyKind.DEPARTMENT: "Giám đốc",
    AgencyKind.PROVINCIAL_SERVICE_CENTER: "Giám đốc",
    AgencyKind.COMMUNE_SERVICE_CENTER: "Giám đốc",
    AgencyKind.COUNCIL_COMMITTEE_OFFICE: "Chánh Văn phòng",
    AgencyKind.PPC_OFFICE: "Chánh Văn phòng",
    AgencyKind.ECONOMIC_OFFICE: "Trưởng phòng",
    AgencyKind.CULTURE_SOCIAL_OFFICE: "Trưởng phòng",
}


def issuing_body(agency: Agency) -> Agency:
    """The body in whose name the result is issued: the People's Committee of the agency's unit
    when the agency is that Committee's office, else the agency itself."""
    committee = ACTS_FOR_COMMITTEE.get(agency.kind)
    if committee is None:
        return agency
    found = Agency.objects.select_related("unit").filter(unit=agency.unit, kind=committee).first()
    return found or agency


def issuer_lines(body: Agency) -> tuple[str, str]:
    """The issuing body's header: a People's Committee has none above it and writes its own
    name on two lines ("ỦY BAN NHÂN DÂN" / "XÃ ĐÔ LƯƠNG"); another body sits under its own."""
    if body.kind in COMMITTEES:
        return "", f"Ủy ban nhân dân\n{body.unit.full_name}"
    return _issuer(body)


def body_name(body: Agency) -> str:
    """The issuing body's name without its unit, for the document's symbol: "Ủy ban nhân dân"."""
    if body.kind in COMMITTEES:
        return "Ủy ban nhân dân"
    return _issuer(body)[1]


def signing_capacity(leader: User, body: Agency, competent: Agency) -> str:
    """The leader's capacity as printed above the name: the head's title, or "KT." and the
    deputy's (a leader's membership says which; a deputy when none is recorded)."""
    membership = (
        Membership.objects.filter(user=leader, role=Role.LEADER, agency__in=[body, competent])
        .order_by("pk")
        .first()
    )
    deputy = membership is None or membership.position == Position.DEPUTY
    return capacity(HEAD_TITLES.get(body.kind, "Thủ trưởng cơ quan"), deputy)


def result_name(dossier: Dossier) -> str:
    """What the approved paper is: the procedure's result as the catalogue names it
    ("Giấy khai sinh"), else the result of the procedure."""
    procedure = dossier.procedure
    return procedure.result_name or f"Kết quả giải quyết thủ tục {procedure.name}"


def result_document(
    dossier: Dossier,
    leader: User,
    moment: dt.datetime,
    papers: list[DossierDocument],
    note: str,
    lookup_url: str,
    number: str,
) -> FormDocument:
    """The issuing body's notice of the result, numbered ``number``: what was decided, on
    which papers (named with their SHA-256, so the signature covers exactly the papers
    approved), signed by the leader at ``moment`` (the approval)."""
    agency = dossier.competent_agency
    body = issuing_body(agency)
    parent, issuer = issuer_lines(body)
    lines: list[str | Line] = [
        Line(
            f"Ngày {dossier.received_at.astimezone(VIETNAM):%d/%m/%Y}, "
            f"{dossier.receiving_agency} tiếp nhận hồ sơ mã số {dossier.code} đề nghị "
            f"{dossier.procedure} của ông/bà {dossier.applicant_name}."
        ),
        Line(f"{body} đã giải quyết xong hồ sơ lúc {when(moment)}. Kết quả giải quyết gồm:"),
    ]
    # the approved paper is the result itself, named as such, whatever the file was called
    # while it was drafted; left-aligned, not justified: a checksum is one long word
    name = result_name(dossier)
    for position, paper in enumerate(papers, start=1):
        label = name if len(papers) == 1 else f"{name}, tệp {position}/{len(papers)}"
        lines.append(f"- {label} (SHA-256: {paper.sha256})")
    if note:
        lines.append(Line(f"Ý kiến của lãnh đạo: {note}"))
    lines.append(
        Line(
            "Văn bản này là kết quả giải quyết thủ tục hành chính dạng điện tử, được ký số "
            "(Nghị định 118/2025/NĐ-CP, Điều 22)."
        )
    )
    return FormDocument(
        issuer_parent=parent,
        issuer=issuer,
        form_number="",
        number=number,
        title=TITLE,
        summary=SUMMARY,
        reference=f"Mã hồ sơ: {dossier.code}",
        paragraphs=lines,
        place_and_date=_place_and_date(body, moment),
        signatures=[
            (
                signing_capacity(leader, body, agency),
                leader.full_name or leader.get_username(),
            )
        ],
        recipients=[f"- Ông/bà {dossier.applicant_name};", f"- Lưu: hồ sơ {dossier.code}."],
        qr_url=lookup_url,
        layout=ADMINISTRATIVE,
    )
