"""Writes to the catalogue: publishing process templates, importing fields and procedures."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from haicap.accounts.models import User
from haicap.accounts.services import require_writable
from haicap.catalog.changes import ProceduresMoved, procedures_moved
from haicap.catalog.models import Field, Procedure, ProcessTemplate
from haicap.catalog.procedure_sheet import ProcedureRow
from haicap.core import clock
from haicap.core.audit import changed_fields, record_change, record_save, snapshot
from haicap.core.errors import InvalidInput, PermissionDenied
from haicap.core.roles import Role
from haicap.core.scoping import scope_of
from haicap.core.text import search_key
from haicap.core.validators import check_text
from haicap.units.models import Agency
from haicap.workflow.definition import DefinitionError, from_definition
from haicap.workflow.engine import problems

KNOWN_ROLES = [role.value for role in Role]
CENTS = Decimal("0.01")  # the column's precision, so an unchanged amount compares equal


def _require_catalogue_admin(actor: User | None) -> None:
    """The catalogue is the province's: only system administrators change it (or set-up)."""
    if actor is None:
        return
    require_writable(actor)
    if not scope_of(actor).is_system_admin:
        raise PermissionDenied(_("Only a system administrator may change the catalogue."))


def publish_template(
    actor: User | None,
    code: str,
    name: str,
    definition: dict,
    *,
    in_force_from: dt.datetime | None = None,
) -> ProcessTemplate:
    """Check a template and publish it as the next version (unchanged: the current version).

    A version is in force from its ``published_at``: dossiers received from then on pin it, and
    none can be dated before the first. ``in_force_from`` dates it earlier than now, for a
    catalogue loaded after the moment it took effect; it cannot be in the future or before the
    version it follows.
    """
    _require_catalogue_admin(actor)
    check_text("code", code)
    check_text("name", name)
    try:
        template = from_definition(code, name, definition)
    except DefinitionError as error:
        raise InvalidInput("; ".join(error.problems)) from error
    found = problems(template, KNOWN_ROLES)
    if found:
        raise InvalidInput("; ".join(found))
    with transaction.atomic():
        latest = (
            ProcessTemplate.objects.select_for_update()
            .filter(code=code)
            .order_by("-version")
            .first()
        )
        if latest is not None and latest.definition == definition and latest.name == name:
            return latest
        version = (
            ProcessTemplate.objects.filter(code=code).aggregate(v=Max("version"))["v"] or 0
        ) + 1
        now = clock.now()
        moment = in_force_from or now
        if moment > now or (latest is not None and moment < latest.published_at):
            raise InvalidInput(
                _("A version takes effect after the one it follows, and not in the future.")
            )
        published = ProcessTemplate.objects.create(
            code=code,
            version=version,
            name=name,
            definition=definition,
            published_by=actor,
            published_at=moment,
        )
        record_change(
            "template.published",
            published,
            actor=actor,
            after=snapshot(published, ["code", "version", "name"]),
        )
    return published


def ensure_fields(actor: User | None, fields: list[tuple[str, str]]) -> int:
    """Create or rename fields by code; returns how many changed."""
    _require_catalogue_admin(actor)
    for code, name in fields:
        check_text("code", code)
        check_text("name", name)
    changed = 0
    with transaction.atomic():
        for code, name in fields:
            field, created = Field.objects.get_or_create(code=code, defaults={"name": name})
            if created:
                record_change("field.created", field, actor=actor, after=snapshot(field))
                changed += 1
            elif field.name != name:
                before = snapshot(field)
                field.name = name
                field.save(update_fields=["name"])
                record_change(
                    "field.updated", field, actor=actor, before=before, after=snapshot(field)
                )
                changed += 1
    return changed


def import_procedures(actor: User | None, rows: list[ProcedureRow]) -> tuple[int, int]:
    """Create or update procedures by national code; all or nothing. Returns (created, updated)."""
    _require_catalogue_admin(actor)
    fields = {f.code: f for f in Field.objects.all()}
    templates = set(ProcessTemplate.objects.values_list("code", flat=True))
    departments = {
        a.name: a for a in Agency.objects.filter(unit__tier="province", unit__valid_to=None)
    }
    provincial_by_kind = {a.kind: a for a in departments.values() if a.kind != "department"}
    problems_found = []
    resolved = []
    for row in rows:
        field = fields.get(row.field)
        if field is None:
            problems_found.append(
                _("line %(line)d: no field has the code %(code)s")
                % {"line": row.line, "code": row.field}
            )
        if row.template not in templates:
            problems_found.append(
                _("line %(line)d: no published process template %(code)s")
                % {"line": row.line, "code": row.template}
            )
        agency = None
        if row.tier == "province":
            agency = (
                departments.get(row.department)
                if row.department
                else provincial_by_kind.get(row.agency_kind)
            )
            if agency is None:
                problems_found.append(
                    _("line %(line)d: no provincial agency named %(name)s")
                    % {"line": row.line, "name": row.department or row.agency_kind}
                )
        resolved.append((row, field, agency))
    if problems_found:
        raise InvalidInput("; ".join(problems_found))
    created = updated = 0
    moved: dict[int, int] = {}  # procedures whose figures follow a new field or online level
    with transaction.atomic():
        for row, field, agency in resolved:
            wanted = {
                "name": row.name,
                "search_name": search_key(row.name),
                "field_id": field.pk,
                "tier": row.tier,
                "agency_kind": row.agency_kind,
                "provincial_agency_id": agency.pk if agency else None,
                "legal_amount": row.legal_amount.quantize(CENTS),
                "legal_unit": row.legal_unit,
                "legal_source": row.legal_source,
                "result_name": row.result_name,
                "cutoff": row.cutoff,
                "fee_vnd": row.fee_vnd,
                "fee_note": row.fee_note,
                "online_level": row.online_level,
                "documents": list(row.documents),
                "template_code": row.template,
                "decision": row.decision,
            }
            procedure = (
                Procedure.objects.select_for_update()
                .filter(national_code=row.national_code)
                .first()
            )
            if procedure is None:
                procedure = Procedure.objects.create(national_code=row.national_code, **wanted)
                record_change(
                    "procedure.created", procedure, actor=actor, after=snapshot(procedure)
                )
                created += 1
                continue
            before = snapshot(procedure)
            before_field = procedure.field_id
            for attr, value in wanted.items():
                setattr(procedure, attr, value)
            diff = changed_fields(before, snapshot(procedure))
            if diff:
                procedure.save()
                if diff.keys() & {"field_id", "online_level"}:
                    moved[procedure.pk] = before_field
                record_change(
                    "procedure.updated",
                    procedure,
                    actor=actor,
                    before={k: before[k] for k in diff},
                    after=diff,
                )
                updated += 1
        if moved:  # the figures by field and the online counts follow the catalogue
            procedures_moved.publish(ProceduresMoved(old_field_by_procedure=moved))
    return created, updated


def save_procedure(procedure: Procedure, *, actor: User | None, created: bool) -> None:
    """Save a procedure edited by hand (the admin, whose permissions gate it): audited, and a new
    field or online level is published (its figures follow it), in one transaction."""
    procedure.search_name = search_key(procedure.name)
    with transaction.atomic():
        old = None if created else Procedure.objects.select_for_update().get(pk=procedure.pk)
        procedure.save()
        record_save(procedure, snapshot(old) if old else None, actor=actor)
        if old is not None and (old.field_id, old.online_level) != (
            procedure.field_id,
            procedure.online_level,
        ):
            moved = {procedure.pk: old.field_id}
            procedures_moved.publish(ProceduresMoved(old_field_by_procedure=moved))
