"""An inspection's conclusion notice read from the records (``notice.Notice``), for its Word
and PDF files.

Whoever may see the inspection reads the notice's directives and recipients whole: it is the
group's document, sent to every agency and commune it names. Its findings are read through the one
rule for findings (issue 15: "A commune sees its own"): the group's people read them all, a commune
visited only its own.
Who issues and signs it, and so the symbol of its number, is ``notice.issuing``'s choice.
"""

from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from haicap.core.errors import Conflict
from haicap.core.measures import Unit, measures
from haicap.core.restricted import Viewer
from haicap.oversight import selectors
from haicap.oversight.models import Directive, Inspection
from haicap.oversight.notice import (
    HONORIFIC,
    CommuneFindings,
    DirectiveLine,
    Notice,
    Target,
    issuing,
)
from haicap.units.kinds import AgencyKind
from haicap.units.models import AdministrativeUnit, Agency
from haicap.units.selectors import the_province

CHAIRMAN = "Chủ tịch UBND tỉnh (để b/c)"
# The original is kept by the clerical office (VT), a copy by the group's secretariat, which
# drafts the notice (Decree 30/2020/NĐ-CP, App. I, II.9: "Lưu: VT, the drafting unit").
ARCHIVE = "VT, TCT"


def committee(unit: AdministrativeUnit) -> str:
    """ "UBND xã Văn Hiến": a commune's People's Committee as "Nơi nhận" names it, with the
    abbreviation Decree 30/2020/NĐ-CP (App. I, II.9) allows there."""
    return f"UBND {unit.full_name}"


def _agency_name(agency: Agency) -> str:
    if agency.kind == AgencyKind.COMMUNE_PEOPLES_COMMITTEE:
        return committee(agency.unit)
    return agency.name


def notice_of(user: Viewer, inspection_id: int) -> Notice:
    """The notice of a concluded inspection the user sees (``NotFound`` otherwise)."""
    inspection = selectors.inspection_with_findings(user, inspection_id)
    if inspection.state != Inspection.State.CONCLUDED:
        raise Conflict(_("The inspection has no conclusion yet."))
    group = inspection.group
    province = the_province()
    issuer = issuing(province.full_name if province else "", group.number, group.leader_title)
    communes = list(inspection.communes.all())
    findings: dict[int, list[str]] = {c.pk: [] for c in communes}
    seen = selectors.visible_findings(user, inspection_id=inspection.pk).order_by("pk")
    for commune_id, text in seen.values_list("commune_id", "text"):
        findings.setdefault(commune_id, []).append(text)
    directives = list(
        inspection.directives.select_related("lead_agency__unit", "target__unit", "target__field")
        .prefetch_related("supporting_agencies__unit")
        .order_by("pk")
    )
    tasks = [d for d in directives if d.parent_id is None]
    leader = group.leader
    # "Kết luận của Phó Chủ tịch UBND tỉnh <name> tại buổi làm việc với ...": the PPC's notice
    # names the Vice Chairman whose conclusion it states
    speaker = issuer.speaker
    if issuer.reports_to_chairman and leader and leader.full_name:
        speaker = f"{speaker} {leader.full_name}"
    visited = ", ".join(c.full_name for c in communes)
    summary = (
        inspection.conclusion_summary or f"Kết luận của {speaker} tại buổi làm việc với {visited}"
    )
    return Notice(
        issuer_parent=issuer.issuer_parent,
        issuer=issuer.issuer,
        issuer_parent_bold=issuer.issuer_parent_bold,
        number=inspection.conclusion_number,
        place=province.name if province else "",
        date=inspection.conclusion_date,
        summary=summary,
        participants=_participants(inspection),
        findings=[
            CommuneFindings(commune=capfirst(c.full_name), findings=findings[c.pk])
            for c in communes
            if findings[c.pk]
        ],
        directives=[
            _line(task, [d for d in directives if d.parent_id == task.pk]) for task in tasks
        ],
        recipients=([CHAIRMAN] if issuer.reports_to_chairman else [])
        + _recipients(directives, communes),
        archive=ARCHIVE,
        conclusions=[
            line.strip() for line in inspection.conclusion_text.splitlines() if line.strip()
        ],
        signer_capacity=issuer.signer_capacity,
        signer_title=issuer.signer_title,
        signer_name=(leader.full_name or leader.username) if leader else "",
    )


def _participants(inspection: Inspection) -> list[str]:
    """ "Đồng chí <name>, <position>, <agency>": the leader's office is the group's record of
    it; accounts keep no position, so the others are named with their agency."""
    group = inspection.group
    leader = group.leader
    lines = []
    if leader or group.leader_title:
        name = f"{HONORIFIC} {leader.full_name or leader.username}" if leader else ""
        lines.append(
            ", ".join(p for p in (name, group.leader_title, f"Tổ trưởng {group.name}") if p)
        )
    people = [p for p in inspection.participants.all() if p.pk != group.leader_id]
    agencies = selectors.first_agencies(people)
    for person in people:
        agency = agencies.get(person.pk)
        name = f"{HONORIFIC} {person.full_name or person.username}"
        lines.append(f"{name}, {_agency_name(agency)}" if agency else name)
    lines += [line.strip() for line in inspection.other_participants.splitlines() if line.strip()]
    return lines


def _recipients(directives: list[Directive], communes: list[AdministrativeUnit]) -> list[str]:
    """The agencies that lead or support a task, in the order they were tasked, then every
    commune's People's Committee, named alike, whether it was tasked or only visited."""
    agencies: dict[int, str] = {}
    committees: dict[int, str] = {c.pk: committee(c) for c in communes}
    for directive in directives:
        for agency in (directive.lead_agency, *directive.supporting_agencies.all()):
            if agency.kind == AgencyKind.COMMUNE_PEOPLES_COMMITTEE:
                committees.setdefault(agency.unit_id, committee(agency.unit))
            else:
                agencies.setdefault(agency.pk, agency.name)
    return [*agencies.values(), *committees.values()]


def _line(directive: Directive, subtasks: list[Directive]) -> DirectiveLine:
    return DirectiveLine(
        task=directive.title,
        lead=_agency_name(directive.lead_agency),
        deadline=directive.deadline,
        expected_result=directive.expected_result,
        supporting=[_agency_name(a) for a in directive.supporting_agencies.all()],
        target=_target(directive),
        subtasks=[_line(subtask, []) for subtask in subtasks],
    )


def _target(directive: Directive) -> Target | None:
    target = selectors.target_of(directive)
    measure = measures.get(target.measure_key) if target else None
    if target is None or measure is None:
        return None
    with translation.override("vi"):  # the notice is in Vietnamese, whoever downloads it
        label = str(measure.label)
    return Target(
        measure=label,
        percent=measure.unit == Unit.PERCENT,
        where=target.unit.full_name if target.unit_id else "",
        field=target.field.name if target.field_id else "",
        comparison=target.comparison,
        threshold=target.threshold,
        start=target.period_start,
        end=target.period_end,
    )
