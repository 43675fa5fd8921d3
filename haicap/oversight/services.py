"""Writes of the working groups, inspections, findings and directives.

Who writes what:

- a working group is made and changed by the staff of the PPC Office and system administrators
  (and, once it exists, by its own secretariat); the province's supervisors read only;
- the group's inspections, findings and directives are written by its secretariat and its
  leader (and system administrators);
- progress is reported by the staff of the directive's lead or supporting agencies, each update
  a new row (the table refuses changes: ``history``);
- a directive is closed by the group's secretariat alone, on a stated result: as achieved only
  when its target, if it has one, is met now; otherwise as not achieved, with a reason.

Every write checks its text (``check_text``) and is audited in its transaction.
"""

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from haicap.accounts.models import Membership, User
from haicap.accounts.services import require_writable
from haicap.catalog.models import Field
from haicap.core import clock
from haicap.core.audit import record_change, snapshot
from haicap.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from haicap.core.measures import Comparison, Unit, measures
from haicap.core.scoping import scope_of
from haicap.core.validators import check_text
from haicap.dossiers import uploads as upload_rules
from haicap.dossiers.services.documents import inspect_upload
from haicap.dossiers.services.retries import check_retry, request_digest
from haicap.dossiers.upload_refusals import refusal_message
from haicap.oversight import links, selectors
from haicap.oversight.models import (
    Directive,
    DirectiveTarget,
    DirectiveUpdate,
    Finding,
    FindingLink,
    FindingPaper,
    Inspection,
    UpdatePaper,
    WorkingGroup,
)
from haicap.oversight.status import Outcome
from haicap.units.kinds import AgencyKind, Tier
from haicap.units.models import AdministrativeUnit, Agency

# --- who may ----------------------------------------------------------------------------------


def works_for(actor: User, agency: Agency) -> bool:
    """Whether ``actor`` works for ``agency``: a member of it, or of any agency of its commune
    (a commune's bodies act as one)."""
    return any(body.includes(agency.pk, agency.unit_id) for body in scope_of(actor).bodies())


def in_secretariat(actor: User, group: WorkingGroup) -> bool:
    """The group's secretariat: its secretariat members, and the staff of its secretariat
    agency."""
    if group.secretariat_people.filter(pk=actor.pk).exists():
        return True
    return group.secretariat_agency is not None and works_for(actor, group.secretariat_agency)


def _require_group_maker(actor: User) -> None:
    require_writable(actor)
    if scope_of(actor).is_system_admin:
        return
    if not Membership.objects.filter(user=actor, agency__kind=AgencyKind.PPC_OFFICE).exists():
        raise PermissionDenied(
            _("Working groups are set up by the PPC Office and system administrators.")
        )


def _require_group_editor(actor: User, group: WorkingGroup) -> None:
    require_writable(actor)
    if in_secretariat(actor, group):
        return
    _require_group_maker(actor)


def _require_manager(actor: User, group: WorkingGroup) -> None:
    """The group's secretariat, its leader, or a system administrator."""
    require_writable(actor)
    if scope_of(actor).is_system_admin or group.leader_id == actor.pk:
        return
    if not in_secretariat(actor, group):
        raise PermissionDenied(
            _("Only the working group's secretariat and leader write its inspections.")
        )


# --- working groups ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupSpec:
    number: str
    name: str
    term_start: dt.date
    term_end: dt.date | None = None
    leader: User | None = None
    leader_title: str = ""
    member_agencies: Sequence[Agency] = ()
    member_people: Sequence[User] = ()
    secretariat_agency: Agency | None = None
    secretariat_people: Sequence[User] = ()
    communes: Sequence[AdministrativeUnit] = ()


def _check_communes(communes: Sequence[AdministrativeUnit]) -> None:
    for unit in communes:
        if unit.tier != Tier.COMMUNE or not unit.is_current:
            raise InvalidInput(_("%(unit)s is not a current commune.") % {"unit": unit})


def _check_group(spec: GroupSpec) -> None:
    for label, value in (
        ("number", spec.number),
        ("name", spec.name),
        ("leader_title", spec.leader_title),
    ):
        check_text(label, value)
    if not spec.number.strip() or not spec.name.strip():
        raise InvalidInput(_("A working group needs a number and a name."))
    if spec.term_end is not None and spec.term_end < spec.term_start:
        raise InvalidInput(_("The term ends before it begins."))
    if spec.secretariat_agency is None and not spec.secretariat_people:
        raise InvalidInput(
            _("Name the group's secretariat (an agency or people): it closes the directives.")
        )
    if spec.leader is None and not spec.leader_title.strip():
        raise InvalidInput(_("Name the group's leader, or the office the leader holds."))
    _check_communes(spec.communes)


def _group_state(group: WorkingGroup) -> dict:
    return {
        **snapshot(group),
        "member_agencies": sorted(a.pk for a in group.member_agencies.all()),
        "member_people": sorted(u.pk for u in group.member_people.all()),
        "secretariat_people": sorted(u.pk for u in group.secretariat_people.all()),
        "communes": sorted(u.pk for u in group.communes.all()),
    }


def save_group(actor: User, spec: GroupSpec, group: WorkingGroup | None = None) -> WorkingGroup:
    """Set up a working group, or change ``group`` to ``spec``."""
    if group is None:
        _require_group_maker(actor)
    else:
        _require_group_editor(actor, group)
    _check_group(spec)
    with transaction.atomic():
        before = None
        if group is not None:
            group = WorkingGroup.objects.select_for_update().get(pk=group.pk)
            before = _group_state(group)
        clash = WorkingGroup.objects.filter(number=spec.number.strip(), term_start=spec.term_start)
        if group is not None:
            clash = clash.exclude(pk=group.pk)
        if clash.exists():
            raise Conflict(
                _("Working group no. %(number)s of that term already exists.")
                % {"number": spec.number}
            )
        group = group or WorkingGroup()
        group.number = spec.number.strip()
        group.name = spec.name.strip()
        group.term_start, group.term_end = spec.term_start, spec.term_end
        group.leader, group.leader_title = spec.leader, spec.leader_title.strip()
        group.secretariat_agency = spec.secretariat_agency
        group.save()
        group.member_agencies.set(spec.member_agencies)
        group.member_people.set(spec.member_people)
        group.secretariat_people.set(spec.secretariat_people)
        group.communes.set(spec.communes)
        after = _group_state(group)
        if before is None:
            record_change("workinggroup.created", group, actor=actor, after=after)
        elif before != after:
            changed = {k: v for k, v in after.items() if before.get(k) != v}
            record_change(
                "workinggroup.updated",
                group,
                actor=actor,
                before={k: before.get(k) for k in changed},
                after=changed,
            )
    return group


# --- inspections ------------------------------------------------------------------------------


def plan_inspection(
    actor: User,
    group: WorkingGroup,
    *,
    held_on: dt.date,
    communes: Sequence[AdministrativeUnit],
    participants: Sequence[User] = (),
    other_participants: str = "",
    agenda: str = "",
) -> Inspection:
    """Plan a visit of ``group`` to some of the communes it covers."""
    _require_manager(actor, group)
    check_text("other_participants", other_participants, multiline=True)
    check_text("agenda", agenda, multiline=True)
    if not communes:
        raise InvalidInput(_("Name the communes the inspection visits."))
    _check_communes(communes)
    covered = set(group.communes.values_list("pk", flat=True))
    if covered and not {c.pk for c in communes} <= covered:
        raise InvalidInput(_("The working group visits only the communes it covers."))
    with transaction.atomic():
        inspection = Inspection.objects.create(
            group=group,
            held_on=held_on,
            other_participants=other_participants.strip(),
            agenda=agenda.strip(),
            created_by=actor,
        )
        inspection.communes.set(communes)
        inspection.participants.set(participants)
        record_change(
            "inspection.planned",
            inspection,
            actor=actor,
            after={
                **snapshot(inspection),
                "communes": sorted(c.pk for c in communes),
                "participants": sorted(u.pk for u in participants),
            },
        )
    return inspection


def _locked_inspection(inspection: Inspection) -> Inspection:
    return Inspection.objects.select_for_update().select_related("group").get(pk=inspection.pk)


def start_inspection(actor: User, inspection: Inspection) -> Inspection:
    """The visit begins: findings may now be recorded."""
    _require_manager(actor, inspection.group)
    with transaction.atomic():
        inspection = _locked_inspection(inspection)
        if inspection.state != Inspection.State.PLANNED:
            raise Conflict(_("Only a planned inspection can begin."))
        inspection.state = Inspection.State.IN_PROGRESS
        inspection.save(update_fields=["state"])
        record_change("inspection.started", inspection, actor=actor, after={"state": "in_progress"})
    return inspection


def conclude_inspection(
    actor: User, inspection: Inspection, *, number: str, date: dt.date, summary: str
) -> Inspection:
    """The group's conclusion: its number, date and summary. Directives are issued under it."""
    _require_manager(actor, inspection.group)
    check_text("number", number)
    check_text("summary", summary, multiline=True)
    if not number.strip():
        raise InvalidInput(_("A conclusion needs its number."))
    with transaction.atomic():
        inspection = _locked_inspection(inspection)
        if inspection.state != Inspection.State.IN_PROGRESS:
            raise Conflict(_("Only an inspection in progress can be concluded."))
        if date < inspection.held_on:
            raise InvalidInput(_("The conclusion cannot be dated before the visit."))
        inspection.state = Inspection.State.CONCLUDED
        inspection.conclusion_number = number.strip()
        inspection.conclusion_date = date
        inspection.conclusion_summary = summary.strip()
        inspection.save(
            update_fields=["state", "conclusion_number", "conclusion_date", "conclusion_summary"]
        )
        record_change(
            "inspection.concluded",
            inspection,
            actor=actor,
            after=snapshot(
                inspection,
                ["state", "conclusion_number", "conclusion_date", "conclusion_summary"],
            ),
        )
    return inspection


# --- findings ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FindingSpec:
    commune: AdministrativeUnit
    category: str
    text: str
    agency_to_act: Agency
    field: Field | None = None
    field_text: str = ""
    links: Sequence[tuple[str, str]] = ()  # (a relative address within haicap, its label)
    papers: Sequence[UploadedFile] = ()


def checked_link(text: str) -> str:
    """A link within haicap: relative, and to one of its pages."""
    try:
        link = links.relative_link(text)
    except links.NotALink as refusal:
        if refusal.reason == "empty":
            raise InvalidInput(_("Give the link's address.")) from refusal
        if refusal.reason == "too_long":
            raise InvalidInput(_("The link is too long.")) from refusal
        raise InvalidInput(
            _("A link must be an address within haicap, starting with a single /.")
        ) from refusal
    try:
        resolve(links.path_of(link))
    except Resolver404 as error:
        raise InvalidInput(
            _("No page of haicap has the address %(link)s.") % {"link": link}
        ) from error
    return link


def _checked_papers(papers: Sequence[UploadedFile]) -> list[tuple[UploadedFile, object, str]]:
    checked = []
    for upload in papers:
        try:
            kind, sha256 = inspect_upload(upload)
        except upload_rules.RefusedUpload as error:
            raise InvalidInput(refusal_message(upload.name or "", error)) from error
        checked.append((upload, kind, sha256))
    return checked


def _paper_fields(upload: UploadedFile, kind: object, sha256: str) -> dict:
    name = (upload.name or "").strip() or "upload"
    check_text("file name", name)
    return {
        "token": secrets.token_hex(16),
        "name": name[:200],
        "content_type": kind.content_type,
        "extension": kind.extension,
        "size": upload.size,
        "sha256": sha256,
        "uploaded_at": clock.now(),
    }


def record_finding(actor: User, inspection: Inspection, spec: FindingSpec) -> Finding:
    """Record a difficulty found in a commune the inspection visits, with its evidence."""
    _require_manager(actor, inspection.group)
    check_text("text", spec.text, multiline=True)
    check_text("field_text", spec.field_text)
    if spec.category not in Finding.Category.values:
        raise InvalidInput(_("There is no category %(category)s.") % {"category": spec.category})
    if not spec.text.strip():
        raise InvalidInput(_("Say what was found."))
    if (
        spec.category == Finding.Category.STAFF_SHORTAGE
        and spec.field is None
        and not spec.field_text.strip()
    ):
        raise InvalidInput(_("Name the field that is short of specialised staff."))
    checked_links = [(checked_link(url), label.strip()) for url, label in spec.links]
    for _url, label in checked_links:
        check_text("label", label)
    papers = _checked_papers(spec.papers)
    with transaction.atomic():
        inspection = _locked_inspection(inspection)
        if inspection.state != Inspection.State.IN_PROGRESS:
            raise Conflict(_("Findings are recorded while the inspection is in progress."))
        if not inspection.communes.filter(pk=spec.commune.pk).exists():
            raise InvalidInput(
                _("The inspection does not visit %(unit)s.") % {"unit": spec.commune}
            )
        finding = Finding.objects.create(
            inspection=inspection,
            commune=spec.commune,
            category=spec.category,
            field=spec.field,
            field_text=spec.field_text.strip(),
            text=spec.text.strip(),
            agency_to_act=spec.agency_to_act,
            recorded_at=clock.now(),
            recorded_by=actor,
        )
        for url, label in checked_links:
            FindingLink.objects.create(finding=finding, url=url, label=label[:200])
        for upload, kind, sha256 in papers:
            paper = FindingPaper(
                finding=finding, uploaded_by=actor, **_paper_fields(upload, kind, sha256)
            )
            paper.file.save(f"upload{paper.extension}", upload, save=False)
            paper.save()
        record_change(
            "finding.recorded",
            finding,
            actor=actor,
            after={
                **snapshot(finding),
                "links": [url for url, _label in checked_links],
                "papers": [sha256 for _u, _k, sha256 in papers],
            },
        )
    return finding


# --- directives -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetSpec:
    measure_key: str
    period_start: dt.date
    period_end: dt.date
    comparison: Comparison
    threshold: Decimal
    unit: AdministrativeUnit | None = None  # None: the whole province
    field: Field | None = None


@dataclass(frozen=True)
class DirectiveSpec:
    title: str
    lead_agency: Agency
    deadline: dt.date
    text: str = ""
    expected_result: str = ""
    supporting_agencies: Sequence[Agency] = ()
    findings: Sequence[Finding] = ()
    target: TargetSpec | None = None
    subtasks: Sequence["DirectiveSpec"] = field(default_factory=tuple)


def _check_target(target: TargetSpec) -> None:
    measure = measures.get(target.measure_key)
    if measure is None:
        raise InvalidInput(_("There is no measure %(key)s.") % {"key": target.measure_key})
    if target.period_end < target.period_start:
        raise InvalidInput(_("The target's period ends before it begins."))
    if target.unit is not None:
        _check_communes([target.unit])
    if measure.unit == Unit.PERCENT and not Decimal(0) <= target.threshold <= Decimal(100):
        raise InvalidInput(_("A share is from 0 to 100 %."))
    if measure.unit == Unit.COUNT and target.threshold < 0:
        raise InvalidInput(_("A count is not negative."))


def _check_directive(spec: DirectiveSpec, inspection: Inspection, parent: Directive | None) -> None:
    check_text("title", spec.title)
    check_text("text", spec.text, multiline=True)
    check_text("expected_result", spec.expected_result, multiline=True)
    if not spec.title.strip():
        raise InvalidInput(_("A directive needs a title."))
    if spec.lead_agency in spec.supporting_agencies:
        raise InvalidInput(_("The lead agency is not also a supporting agency."))
    if spec.deadline < inspection.conclusion_date:
        raise InvalidInput(_("The deadline is before the conclusion."))
    if parent is not None and spec.deadline > parent.deadline:
        raise InvalidInput(_("A sub-task is not due after the directive it is part of."))
    if any(f.inspection_id != inspection.pk for f in spec.findings):
        raise InvalidInput(_("A directive answers findings of its own inspection."))
    if spec.target is not None:
        _check_target(spec.target)


def issue_directive(
    actor: User, inspection: Inspection, spec: DirectiveSpec, parent: Directive | None = None
) -> Directive:
    """Issue a directive of the inspection's conclusion, with its target and sub-tasks; or,
    with ``parent``, a sub-task of one (one level: a sub-task has none of its own)."""
    _require_manager(actor, inspection.group)
    if any(subtask.subtasks for subtask in spec.subtasks) or (parent and spec.subtasks):
        raise InvalidInput(_("A sub-task has no sub-tasks of its own."))
    with transaction.atomic():
        inspection = Inspection.objects.select_related("group").get(pk=inspection.pk)
        if inspection.state != Inspection.State.CONCLUDED:
            raise Conflict(_("Directives are issued under the inspection's conclusion."))
        if parent is not None:
            parent = _locked_directive(parent)  # not closed while its sub-task is added
            if parent.inspection_id != inspection.pk:
                raise InvalidInput(_("A sub-task belongs to its directive's inspection."))
            if parent.parent_id is not None:
                raise InvalidInput(_("A sub-task has no sub-tasks of its own."))
            if parent.closed_at is not None:
                raise Conflict(_("The directive is closed."))
        _check_directive(spec, inspection, parent)
        directive = _create_directive(actor, inspection, spec, parent)
        for subtask in spec.subtasks:
            _check_directive(subtask, inspection, directive)
            _create_directive(actor, inspection, subtask, directive)
    return directive


def _create_directive(
    actor: User, inspection: Inspection, spec: DirectiveSpec, parent: Directive | None
) -> Directive:
    directive = Directive.objects.create(
        inspection=inspection,
        parent=parent,
        title=spec.title.strip(),
        text=spec.text.strip(),
        lead_agency=spec.lead_agency,
        deadline=spec.deadline,
        expected_result=spec.expected_result.strip(),
        issued_at=clock.now(),
        issued_by=actor,
    )
    directive.supporting_agencies.set(spec.supporting_agencies)
    directive.findings.set(spec.findings)
    target = None
    if spec.target is not None:
        target = DirectiveTarget.objects.create(
            directive=directive,
            measure_key=spec.target.measure_key,
            unit=spec.target.unit,
            field=spec.target.field,
            period_start=spec.target.period_start,
            period_end=spec.target.period_end,
            comparison=spec.target.comparison,
            threshold=spec.target.threshold,
        )
    record_change(
        "directive.issued",
        directive,
        actor=actor,
        after={
            **snapshot(directive),
            "supporting_agencies": sorted(a.pk for a in spec.supporting_agencies),
            "findings": sorted(f.pk for f in spec.findings),
            "target": snapshot(target) if target else None,
        },
    )
    return directive


def _locked_directive(directive: Directive) -> Directive:
    locked = (
        Directive.objects.select_for_update(of=("self",))
        .select_related("inspection__group", "lead_agency")
        .filter(pk=directive.pk)
        .first()
    )
    if locked is None:
        raise NotFound()
    return locked


def reporting_agency(actor: User, directive: Directive) -> Agency | None:
    """The agency an update by ``actor`` reports for: the lead agency if they work for it,
    else the first supporting agency they work for; None when they work for neither."""
    if works_for(actor, directive.lead_agency):
        return directive.lead_agency
    for agency in directive.supporting_agencies.select_related("unit").order_by("pk"):
        if works_for(actor, agency):
            return agency
    return None


def post_update(
    actor: User,
    directive: Directive,
    *,
    text: str,
    percent: int | None = None,
    papers: Sequence[UploadedFile] = (),
    idempotency_key: str = "",
) -> DirectiveUpdate:
    """Report progress on a directive, as its lead or a supporting agency. Each update is a new
    row; a retry with the same ``idempotency_key`` returns the update it made."""
    require_writable(actor)
    check_text("text", text, multiline=True)
    check_text("idempotency_key", idempotency_key)
    if not text.strip():
        raise InvalidInput(_("Say what was done."))
    if percent is not None and not 0 <= percent <= 100:
        raise InvalidInput(_("A share is from 0 to 100 %."))
    checked = _checked_papers(papers)
    digest = request_digest(
        actor=actor.pk,
        text=text.strip(),
        percent=percent,
        papers=sorted(sha256 for _u, _k, sha256 in checked),
    )
    with transaction.atomic():
        directive = _locked_directive(directive)
        if idempotency_key:
            earlier = directive.updates.filter(idempotency_key=idempotency_key).first()
            if earlier is not None:
                check_retry(
                    earlier.request_digest,
                    digest,
                    _("The Idempotency-Key %(key)s was already used for another update.")
                    % {"key": idempotency_key},
                )
                return earlier
        agency = reporting_agency(actor, directive)
        if agency is None:
            raise PermissionDenied(
                _("Progress is reported by the directive's lead and supporting agencies.")
            )
        if directive.closed_at is not None:
            raise Conflict(_("The directive is closed."))
        update = DirectiveUpdate.objects.create(
            directive=directive,
            at=clock.now(),
            by=actor,
            agency=agency,
            text=text.strip(),
            percent=percent,
            idempotency_key=idempotency_key,
            request_digest=digest if idempotency_key else "",
        )
        for upload, kind, sha256 in checked:
            paper = UpdatePaper(update=update, **_paper_fields(upload, kind, sha256))
            paper.file.save(f"upload{paper.extension}", upload, save=False)
            paper.save()
        record_change(
            "directive.update_posted",
            update,
            actor=actor,
            after={
                "directive": directive.pk,
                "agency": agency.pk,
                "text": update.text,
                "percent": percent,
                "papers": [sha256 for _u, _k, sha256 in checked],
            },
        )
    return update


def close_directive(
    actor: User, directive: Directive, *, outcome: Outcome, result: str, reason: str = ""
) -> Directive:
    """The secretariat closes a directive on its stated ``result``. As achieved only when its
    target, if any, is met now; as not achieved only with a ``reason``."""
    require_writable(actor)
    check_text("result", result, multiline=True)
    check_text("reason", reason, multiline=True)
    outcome = Outcome(outcome)
    with transaction.atomic():
        directive = _locked_directive(directive)
        if not in_secretariat(actor, directive.inspection.group):
            raise PermissionDenied(_("A directive is closed by the working group's secretariat."))
        if directive.closed_at is not None:
            raise Conflict(_("The directive is closed."))
        if directive.subtasks.filter(closed_at__isnull=True).exists():
            raise Conflict(_("Close the directive's sub-tasks first."))
        if not result.strip():
            raise InvalidInput(_("State the result the directive is closed on."))
        if outcome == Outcome.NOT_ACHIEVED and not reason.strip():
            raise InvalidInput(_("Say why the expected result was not achieved."))
        reading = None
        target = selectors.target_of(directive)
        if target is not None:
            reading = selectors.read_target(target)
            if outcome == Outcome.ACHIEVED and not reading.met:
                raise Conflict(
                    _(
                        "The directive's target is not met: it can be closed only as not "
                        "achieved, with a reason."
                    )
                )
        directive.closed_at = clock.now()
        directive.closed_by = actor
        directive.close_outcome = outcome
        directive.close_result = result.strip()
        directive.close_reason = reason.strip() if outcome == Outcome.NOT_ACHIEVED else ""
        directive.save(
            update_fields=[
                "closed_at",
                "closed_by",
                "close_outcome",
                "close_result",
                "close_reason",
            ]
        )
        record_change(
            "directive.closed",
            directive,
            actor=actor,
            after={
                **snapshot(
                    directive,
                    ["closed_at", "closed_by", "close_outcome", "close_result", "close_reason"],
                ),
                "target_value": reading.value if reading else None,
            },
        )
    return directive
