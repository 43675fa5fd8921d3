"""An inspection's conclusion notice read from the records (``notice.Notice``), for its Word
and PDF files.

Whoever may see the inspection reads the notice's directives and recipients whole: it is the
group's document, sent to every agency and commune it names. Its findings are read through the one
rule for findings (issue 15: "A commune sees its own"): the group's people read them all, a commune
visited only its own.
"""

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from haicap.core.errors import Conflict
from haicap.core.restricted import Viewer
from haicap.oversight import selectors
from haicap.oversight.models import Inspection
from haicap.oversight.notice import CommuneFindings, DirectiveLine, Notice
from haicap.units.kinds import AgencyKind
from haicap.units.models import AdministrativeUnit, Agency
from haicap.units.selectors import the_province

SIGNER_CAPACITY = "TM. TỔ CÔNG TÁC"
SIGNER_TITLE = "TỔ TRƯỞNG"


def _committee(unit: AdministrativeUnit) -> str:
    return f"UBND {unit.full_name}"


def notice_of(user: Viewer, inspection_id: int) -> Notice:
    """The notice of a concluded inspection the user sees (``NotFound`` otherwise)."""
    inspection = selectors.inspection_with_findings(user, inspection_id)
    if inspection.state != Inspection.State.CONCLUDED:
        raise Conflict(_("The inspection has no conclusion yet."))
    group = inspection.group
    province = the_province()
    communes = list(inspection.communes.all())
    findings: dict[int, list[str]] = {c.pk: [] for c in communes}
    seen = selectors.visible_findings(user, inspection_id=inspection.pk).order_by("pk")
    for commune_id, text in seen.values_list("commune_id", "text"):
        findings.setdefault(commune_id, []).append(text)
    directives = list(
        inspection.directives.filter(parent__isnull=True)
        .select_related("lead_agency")
        .prefetch_related("supporting_agencies")
        .order_by("pk")
    )
    recipients: dict[int, Agency] = {}
    for directive in directives:
        for agency in (directive.lead_agency, *directive.supporting_agencies.all()):
            recipients.setdefault(agency.pk, agency)
    # A commune's People's Committee already named as a lead or supporting agency is not named
    # again as the commune.
    committees_named = {
        agency.unit_id
        for agency in recipients.values()
        if agency.kind == AgencyKind.COMMUNE_PEOPLES_COMMITTEE
    }
    leader = group.leader
    participants = [
        ", ".join(part for part in (leader.full_name, group.leader_title) if part)
        if leader
        else group.leader_title
    ]
    participants += [
        person.full_name or person.username
        for person in inspection.participants.all()
        if person.pk != group.leader_id
    ]
    participants += [line.strip() for line in inspection.other_participants.splitlines()]
    place = province.name if province else ""
    return Notice(
        issuer_parent=f"Ủy ban nhân dân {province.full_name}" if province else "Ủy ban nhân dân",
        issuer=f"Tổ công tác số {group.number}",
        number=inspection.conclusion_number,
        place=place,
        date=inspection.conclusion_date,
        summary=inspection.conclusion_summary
        or f"Kết luận của {group.name} tại {', '.join(c.full_name for c in communes)}",
        participants=[p for p in participants if p],
        findings=[
            CommuneFindings(commune=capfirst(c.full_name), findings=findings[c.pk])
            for c in communes
            if findings[c.pk]
        ],
        directives=[
            DirectiveLine(
                task=d.title,
                lead=d.lead_agency.name,
                deadline=d.deadline,
                expected_result=d.expected_result,
                supporting=[a.name for a in d.supporting_agencies.all()],
            )
            for d in directives
        ],
        recipients=[a.name for a in recipients.values()]
        + [_committee(c) for c in communes if c.pk not in committees_named],
        conclusions=[
            line.strip() for line in inspection.conclusion_text.splitlines() if line.strip()
        ],
        signer_capacity=SIGNER_CAPACITY,
        signer_title=SIGNER_TITLE,
        signer_name=(leader.full_name or leader.username) if leader else "",
    )


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]
