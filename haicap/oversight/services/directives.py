"""Issuing the directives of a conclusion, with their targets and sub-tasks."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from haicap.accounts.models import User
from haicap.calendar.workdays import VIETNAM
from haicap.catalog.models import Field
from haicap.core import clock
from haicap.core.audit import record_change, snapshot
from haicap.core.errors import Conflict, InvalidInput, NotFound
from haicap.core.measures import Comparison, Unit, measures
from haicap.core.validators import check_text
from haicap.oversight.models import Directive, DirectiveTarget, Finding, Inspection
from haicap.oversight.services import retries
from haicap.oversight.services.groups import check_communes
from haicap.oversight.services.permissions import require_manager
from haicap.units.models import AdministrativeUnit, Agency


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
    if target.field is not None and not measure.reads_field:
        raise InvalidInput(
            _("“%(measure)s” is not measured by field: leave the target's field empty.")
            % {"measure": measure.label}
        )
    if measure.within_one_year and target.period_start.year != target.period_end.year:
        raise InvalidInput(
            _(
                "“%(measure)s” is measured within one calendar year: the target's period must "
                "begin and end in the same year."
            )
            % {"measure": measure.label}
        )
    if target.unit is not None:
        check_communes([target.unit])
    if measure.unit == Unit.PERCENT and not Decimal(0) <= target.threshold <= Decimal(100):
        raise InvalidInput(_("A share is from 0 to 100%."))
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
    if spec.deadline < clock.now().astimezone(VIETNAM).date():
        raise InvalidInput(_("The deadline has already passed."))
    if parent is not None and spec.deadline > parent.deadline:
        raise InvalidInput(_("A sub-task is not due after the directive it is part of."))
    if any(f.inspection_id != inspection.pk for f in spec.findings):
        raise InvalidInput(_("A directive answers findings of its own inspection."))
    if spec.target is not None:
        _check_target(spec.target)


def issue_directive(
    actor: User,
    inspection: Inspection,
    spec: DirectiveSpec,
    parent: Directive | None = None,
    *,
    idempotency_key: str = "",
) -> Directive:
    """Issue a directive of the inspection's conclusion, with its target and sub-tasks; or,
    with ``parent``, a sub-task of one (one level: a sub-task has none of its own). Once per
    ``idempotency_key``."""
    if idempotency_key:
        return retries.once(
            actor,
            idempotency_key,
            retries.Kind.DIRECTIVE,
            {"inspection": inspection, "parent": parent, "spec": spec},
            lambda: issue_directive(actor, inspection, spec, parent),
        )
    require_manager(actor, inspection.group)
    if any(subtask.subtasks for subtask in spec.subtasks) or (parent and spec.subtasks):
        raise InvalidInput(_("A sub-task has no sub-tasks of its own."))
    with transaction.atomic():
        inspection = Inspection.objects.select_related("group").get(pk=inspection.pk)
        if inspection.state != Inspection.State.CONCLUDED:
            raise Conflict(_("Directives are issued under the inspection's conclusion."))
        if parent is not None:
            parent = locked_directive(parent)  # not closed while its sub-task is added
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


def locked_directive(directive: Directive) -> Directive:
    locked = (
        Directive.objects.select_for_update(of=("self",))
        .select_related("inspection__group", "lead_agency")
        .filter(pk=directive.pk)
        .first()
    )
    if locked is None:
        raise NotFound()
    return locked
