"""Writes of who works where: officers, positions, norms and travel times, by hand or imported.

Each write checks who may make it (``haicap.staffing.permissions``), checks what it is given,
runs in one transaction and is audited (``record_change``), with citizen ID and phone numbers
masked in the log. ``actor`` None is the set-up (a command, the demo loader).
"""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from haicap.accounts.models import User
from haicap.core import clock, validators
from haicap.core.audit import record_change, snapshot
from haicap.core.characters import first_unacceptable
from haicap.core.errors import Conflict, InvalidInput
from haicap.core.masking import mask_citizen_id, mask_phone
from haicap.core.scoping import scope_of
from haicap.core.text import as_sentence, search_key
from haicap.core.validators import check_text
from haicap.dossiers.applicant import citizen_id_problem, phone_problem
from haicap.dossiers.services.retries import earlier_request, request_digest
from haicap.staffing import permissions
from haicap.staffing.models import NormRule, Officer, Position, StaffField
from haicap.staffing.norms import Basis
from haicap.staffing.sheet_words import describe
from haicap.staffing.staff_sheet import (
    COLUMNS,
    Kind,
    NormRow,
    OfficerRow,
    PositionRow,
    Problem,
    StaffWorkbook,
    TravelRow,
)
from haicap.units.kinds import Tier
from haicap.units.models import AdministrativeUnit, Agency, TravelTime

MAX_EXPERIENCE_YEARS = 80
MAX_APPROVED = 32767


# --- who may ----------------------------------------------------------------------------------


def _require_arranger(actor: User | None) -> None:
    if actor is not None:
        permissions.require(permissions.arranges_staff(actor))


def _require_agency_editor(actor: User | None, agency: Agency) -> None:
    if actor is not None:
        permissions.require(
            not scope_of(actor).read_only and permissions.edits_agency_staff(actor, agency)
        )


# --- officers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OfficerSpec:
    """An officer as the form, the API or a sheet gives them. The agency is the position's."""

    staff_number: str
    full_name: str
    position: Position
    grade: str
    in_post_since: dt.date
    qualifications: Sequence[StaffField] = ()
    experience_years: int = 0
    desk_posting_from: dt.date | None = None
    desk_posting_until: dt.date | None = None
    account: User | None = None
    citizen_id: str = ""
    phone: str = ""

    @property
    def agency(self) -> Agency:
        return self.position.agency


NOT_A_DESK = "%(agency)s has no one-stop desk: only a desk's officers have posting dates"


def desk_posting_problem(
    agency: Agency, posted_from: dt.date | None, posted_until: dt.date | None
) -> tuple[str, str] | None:
    """The date that is wrong in a one-stop desk posting and what is wrong with it (English
    words, said through gettext by the caller), or None: only a desk's officers have a posting;
    an end needs a start, and comes after it."""
    if posted_from is None and posted_until is None:
        return None
    if not agency.is_one_stop_desk:
        return "desk_posting_from", NOT_A_DESK
    if posted_from is None:
        return "desk_posting_until", "a posting that ends needs the day it began"
    if posted_until is not None and posted_until < posted_from:
        return "desk_posting_until", "the posting ends before it begins"
    return None


def officer_problems(spec: OfficerSpec, today: dt.date) -> dict[str, str]:
    """Each field of ``spec`` that is wrong, with what is wrong, in the active language."""
    found: dict[str, str] = {}
    for name in ("staff_number", "full_name", "grade", "citizen_id", "phone"):
        value = getattr(spec, name)
        if unacceptable := first_unacceptable(value):
            found[name] = capfirst(validators.describe(unacceptable))
        elif name in ("staff_number", "full_name", "grade") and not value.strip():
            found[name] = _("This field is required.")
    if not 0 <= spec.experience_years <= MAX_EXPERIENCE_YEARS:
        found["experience_years"] = _("Give a number of years from 0 to %(max)d.") % {
            "max": MAX_EXPERIENCE_YEARS
        }
    if spec.in_post_since > today:
        found["in_post_since"] = _(
            "The officer took up the post on a day after today (%(today)s): give the day they did."
        ) % {"today": today.strftime("%d/%m/%Y")}
    if spec.citizen_id and (problem := citizen_id_problem(spec.citizen_id, today)):
        found["citizen_id"] = as_sentence(_(problem))
    if spec.phone and (problem := phone_problem(spec.phone)):
        found["phone"] = as_sentence(_(problem))
    desk = desk_posting_problem(spec.agency, spec.desk_posting_from, spec.desk_posting_until)
    if desk:
        name, problem = desk
        found[name] = as_sentence(_(problem) % {"agency": spec.agency.name})
    return found


def _officer_state(officer: Officer) -> dict[str, Any]:
    """The audited state: personal numbers masked, qualifications by code."""
    state = snapshot(officer)
    state["citizen_id"] = mask_citizen_id(officer.citizen_id) if officer.citizen_id else ""
    state["phone"] = mask_phone(officer.phone) if officer.phone else ""
    state["qualifications"] = sorted(f.code for f in officer.qualifications.all())
    return state


def _check_account(account: User | None, officer: Officer | None) -> None:
    if account is None:
        return
    linked = Officer.objects.filter(user=account).exclude(pk=officer.pk if officer else None)
    other = linked.first()
    if other is not None:
        raise Conflict(
            _("The account %(username)s is already linked to officer %(staff_number)s.")
            % {"username": account.get_username(), "staff_number": other.staff_number}
        )


def _check_officer(spec: OfficerSpec) -> None:
    problems = officer_problems(spec, clock.now().date())
    if problems:
        raise InvalidInput(" ".join(problems.values()))


def _write(officer: Officer, spec: OfficerSpec) -> None:
    officer.staff_number = spec.staff_number.strip()
    officer.full_name = " ".join(spec.full_name.split())
    officer.agency = spec.agency
    officer.position = spec.position
    officer.grade = spec.grade.strip()
    officer.experience_years = spec.experience_years
    officer.in_post_since = spec.in_post_since
    officer.desk_posting_from = spec.desk_posting_from
    officer.desk_posting_until = spec.desk_posting_until
    officer.user = spec.account
    officer.citizen_id = spec.citizen_id.strip()
    officer.phone = spec.phone.strip()
    officer.save()
    officer.qualifications.set(spec.qualifications)


def _audit(action: str, officer: Officer, before: dict | None, actor: User | None, **extra) -> None:
    after = _officer_state(officer)
    if before is None:
        record_change(action, officer, actor=actor, after={**after, **extra})
        return
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    if changed:
        before_part = {k: before.get(k) for k in changed}
        record_change(action, officer, actor=actor, before=before_part, after=changed)


CREATED = "officer.created"


def _digest(spec: OfficerSpec) -> str:
    values = {
        name: (value.pk if isinstance(value, Model) else value)
        for name, value in vars(spec).items()
        if name != "qualifications"
    }
    values["qualifications"] = sorted(f.pk for f in spec.qualifications)
    return request_digest(kind="officer", request={k: str(v) for k, v in values.items()})


def _created_with_key(actor: User, key: str, digest: str) -> Officer | None:
    """The officer an earlier request with ``key`` created (its audit record keeps the key)."""
    earlier = earlier_request(CREATED, actor.pk, key, digest)
    if earlier is None:
        return None
    return Officer.objects.filter(pk=int(earlier.object_id)).first()


def save_officer(
    actor: User | None,
    spec: OfficerSpec,
    officer: Officer | None = None,
    *,
    idempotency_key: str = "",
) -> Officer:
    """Create an officer (once per ``idempotency_key`` of ``actor``), or change ``officer`` to
    ``spec``. Moving an officer to another agency needs the right to edit both."""
    _require_agency_editor(actor, spec.agency)
    if officer is not None:
        _require_agency_editor(actor, officer.agency)
    _check_officer(spec)
    key = idempotency_key.strip() if officer is None and actor is not None else ""
    digest = ""
    if key:
        check_text("idempotency_key", key)
        digest = _digest(spec)
        earlier = _created_with_key(actor, key, digest)
        if earlier is not None:
            return earlier
    try:
        with transaction.atomic():
            before = None
            if officer is not None:
                officer = Officer.objects.select_for_update().get(pk=officer.pk)
                before = _officer_state(officer)
            clash = Officer.objects.filter(staff_number=spec.staff_number.strip())
            if officer is not None:
                clash = clash.exclude(pk=officer.pk)
            if clash.exists():
                raise Conflict(
                    _("An officer with staff number %(number)s already exists.")
                    % {"number": spec.staff_number.strip()}
                )
            _check_account(spec.account, officer)
            officer = officer or Officer()
            _write(officer, spec)
            if before is None:
                extra = {"idempotency_key": key, "request_digest": digest} if key else {}
                _audit(CREATED, officer, None, actor, **extra)
            else:
                _audit("officer.updated", officer, before, actor)
    except IntegrityError:
        # A retry that raced its first attempt: the staff number is taken by the first.
        earlier = _created_with_key(actor, key, digest) if key else None
        if earlier is None:
            raise Conflict(_("The officer was changed at the same time; try again.")) from None
        return earlier
    return officer


def link_account(actor: User | None, officer: Officer, account: User | None) -> Officer:
    """Link ``officer`` to a haicap account, or unlink them (``account`` None)."""
    _require_agency_editor(actor, officer.agency)
    with transaction.atomic():
        officer = Officer.objects.select_for_update().get(pk=officer.pk)
        before = _officer_state(officer)
        _check_account(account, officer)
        officer.user = account
        officer.save(update_fields=["user"])
        _audit("officer.updated", officer, before, actor)
    return officer


def remove_officer(actor: User | None, officer: Officer) -> None:
    """Delete an officer's record; one who was ever seconded stays (the plans are records)."""
    _require_agency_editor(actor, officer.agency)
    with transaction.atomic():
        officer = Officer.objects.select_for_update().get(pk=officer.pk)
        if officer.secondments.exists():
            raise Conflict(
                _("%(name)s is in a secondment plan: the record stays.") % {"name": officer}
            )
        before = _officer_state(officer)
        record_change("officer.removed", officer, actor=actor, before=before)
        officer.delete()


# --- positions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PositionSpec:
    agency: Agency
    field: StaffField
    grade: str
    approved: int


def save_position(
    actor: User | None, spec: PositionSpec, position: Position | None = None
) -> Position:
    """Create a position, or change ``position`` to ``spec``. The approved count may fall below
    the officers in it: the list then shows the position over-filled."""
    _require_arranger(actor)
    check_text("grade", spec.grade)
    grade = " ".join(spec.grade.split())
    if not grade:
        raise InvalidInput(_("A position needs a grade."))
    if not 0 <= spec.approved <= MAX_APPROVED:
        raise InvalidInput(_("The approved count is a whole number, 0 or more."))
    with transaction.atomic():
        before = None
        if position is not None:
            position = Position.objects.select_for_update().get(pk=position.pk)
            before = snapshot(position)
            if position.officers.exists() and (
                position.agency_id != spec.agency.pk or position.field_id != spec.field.pk
            ):
                raise Conflict(
                    _("Officers hold this position: its agency and field stay; add a new one.")
                )
        clash = Position.objects.filter(agency=spec.agency, field=spec.field, grade=grade)
        if position is not None:
            clash = clash.exclude(pk=position.pk)
        if clash.exists():
            raise Conflict(_("The agency already has a position of that field and grade."))
        position = position or Position()
        position.agency, position.field = spec.agency, spec.field
        position.grade, position.approved = grade, spec.approved
        position.save()
        _record_row(position, before, actor)
    return position


def remove_position(actor: User | None, position: Position) -> None:
    _require_arranger(actor)
    with transaction.atomic():
        position = Position.objects.select_for_update().get(pk=position.pk)
        if position.officers.exists():
            raise Conflict(_("Officers hold this position: move them to another first."))
        record_change("position.removed", position, actor=actor, before=snapshot(position))
        position.delete()


def _record_row(row: Model, before: dict | None, actor: User | None) -> None:
    label = row._meta.model_name
    after = snapshot(row)
    if before is None:
        record_change(f"{label}.created", row, actor=actor, after=after)
        return
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    if changed:
        before_part = {k: before.get(k) for k in changed}
        record_change(f"{label}.updated", row, actor=actor, before=before_part, after=changed)


# --- norms ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NormSpec:
    """A norm for every commune (neither ``unit`` nor ``agency``), one commune, or one
    provincial agency."""

    field: StaffField
    basis: Basis
    count: int = 0
    dossiers_per_officer_month: int = 0
    minimum: int = 0
    unit: AdministrativeUnit | None = None
    agency: Agency | None = None
    note: str = ""


def _check_norm(spec: NormSpec) -> None:
    check_text("note", spec.note)
    if spec.unit is not None and spec.agency is not None:
        raise InvalidInput(_("A norm is for a commune or for a provincial agency, not both."))
    if spec.unit is not None and (spec.unit.tier != Tier.COMMUNE or not spec.unit.is_current):
        raise InvalidInput(capfirst(_("%(unit)s is not a current commune.") % {"unit": spec.unit}))
    if spec.agency is not None and spec.agency.unit.tier != Tier.PROVINCE:
        raise InvalidInput(
            _("%(agency)s is not a provincial agency: a commune's norm names the commune.")
            % {"agency": spec.agency}
        )
    if spec.basis == Basis.WORKLOAD and spec.dossiers_per_officer_month <= 0:
        raise InvalidInput(
            _("A workload norm needs the dossiers one officer handles a month (1 or more).")
        )
    if min(spec.count, spec.minimum, spec.dossiers_per_officer_month) < 0:
        raise InvalidInput(_("A norm counts officers and dossiers: 0 or more."))


def save_norm(actor: User | None, spec: NormSpec, norm: NormRule | None = None) -> NormRule:
    """Set a norm, or change ``norm`` to ``spec``; one per field and place."""
    _require_arranger(actor)
    _check_norm(spec)
    with transaction.atomic():
        before = None
        if norm is not None:
            norm = NormRule.objects.select_for_update().get(pk=norm.pk)
            before = snapshot(norm)
        clash = NormRule.objects.filter(field=spec.field, unit=spec.unit, agency=spec.agency)
        if norm is not None:
            clash = clash.exclude(pk=norm.pk)
        if clash.exists():
            raise Conflict(_("That field already has a norm there; change it instead."))
        norm = norm or NormRule()
        _write_norm(norm, spec)
        _record_row(norm, before, actor)
    return norm


def _write_norm(norm: NormRule, spec: NormSpec) -> None:
    norm.field, norm.unit, norm.agency = spec.field, spec.unit, spec.agency
    norm.basis = spec.basis.value
    norm.count = spec.count if spec.basis == Basis.FIXED else 0
    norm.dossiers_per_officer_month = (
        spec.dossiers_per_officer_month if spec.basis == Basis.WORKLOAD else 0
    )
    norm.minimum = spec.minimum if spec.basis == Basis.WORKLOAD else 0
    norm.note = spec.note.strip()
    norm.save()


def remove_norm(actor: User | None, norm: NormRule) -> None:
    _require_arranger(actor)
    with transaction.atomic():
        record_change("normrule.removed", norm, actor=actor, before=snapshot(norm))
        norm.delete()


# --- travel times -----------------------------------------------------------------------------


def set_travel_time(
    actor: User | None, one: AdministrativeUnit, other: AdministrativeUnit, minutes: int
) -> TravelTime:
    """The minutes between two units, either way (stored once, the smaller id first)."""
    _require_arranger(actor)
    if one.pk == other.pk:
        raise InvalidInput(_("A travel time is between two different units."))
    if minutes < 0:
        raise InvalidInput(_("Minutes are 0 or more."))
    first, second = sorted((one, other), key=lambda unit: unit.pk)
    with transaction.atomic():
        travel = TravelTime.objects.select_for_update().filter(one=first, other=second).first()
        before = snapshot(travel) if travel else None
        travel = travel or TravelTime(one=first, other=second)
        travel.minutes = minutes
        travel.save()
        _record_row(travel, before, actor)
    return travel


# --- importing --------------------------------------------------------------------------------


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def count(self, before: dict | None, after: dict) -> None:
        if before is None:
            self.created += 1
        elif before != after:
            self.updated += 1
        else:
            self.unchanged += 1


@dataclass
class ImportReport:
    """How many rows of each sheet were created, updated or already so."""

    counts: dict[Kind, Counts] = field(default_factory=dict)
    titles: dict[Kind, str] = field(default_factory=dict)


class StaffImportRefused(InvalidInput):
    """The rows the records refuse, each with its place, in the reader's language."""

    def __init__(self, found: Sequence[Problem]) -> None:
        self.found = list(found)
        self.problems = [describe(p) for p in self.found]
        super().__init__("; ".join(self.problems))


# A few fields are listed in the problem that names an unknown one; more, and the template's
# sheet of codes lists them.
FIELD_CODES_LISTED = 15
UNKNOWN_AGENCY = (
    "no agency has the code %(code)s: the codes are on the desk's Agencies page and on the "
    "template's sheet “Mã cơ quan”"
)
UNKNOWN_FIELD_LISTED = "no staff field has the code %(code)s; the codes are %(codes)s"
UNKNOWN_FIELD = (
    "no staff field has the code %(code)s: the codes are on the template's sheet “Mã lĩnh vực”"
)
UNKNOWN_COMMUNE = "no current commune has the code %(code)s: the codes are on the desk's Units page"
UNKNOWN_UNIT = "no unit has the code %(code)s: the codes are on the desk's Units page"


class _References:
    """What the rows name, read once: agencies, fields, positions, accounts, units; and the
    positions the positions sheet of the same import adds (by agency and field code)."""

    def __init__(self, actor: User | None, workbook: StaffWorkbook) -> None:
        agency_codes = {r.agency for r in (*workbook.positions, *workbook.officers)} | {
            r.applies_to for r in workbook.norms if r.applies_to and not r.applies_to.isdigit()
        }
        self.agencies = {
            a.code: a for a in Agency.objects.filter(code__in=agency_codes).select_related("unit")
        }
        self.fields = {f.code: f for f in StaffField.objects.all()}
        self.positions = {
            self.position_key(p.agency_id, p.field_id, p.grade): p
            for p in Position.objects.filter(agency__in=self.agencies.values())
        }
        self.positions_added = {
            (r.agency, r.field, search_key(r.grade))
            for r in workbook.positions
            if not {"agency", "field", "grade"} & r.flawed
        }
        names = {r.account for r in workbook.officers if r.account}
        users = User.objects.restrict(actor) if actor is not None else User.objects.all()
        self.accounts = {
            u.get_username(): u for u in users.filter(username__in=names, is_active=True)
        }
        unit_codes = {r.applies_to for r in workbook.norms if r.applies_to.isdigit()} | {
            code for r in workbook.travel for code in (r.one, r.other)
        }
        self.units = {
            u.code: u for u in AdministrativeUnit.objects.filter(code__in=unit_codes, valid_to=None)
        }

    @staticmethod
    def position_key(agency_id: int, field_id: int, grade: str) -> tuple[int, int, str]:
        return agency_id, field_id, search_key(grade)

    def has_position(self, agency: Agency, field: StaffField, grade: str) -> bool:
        return (
            self.position_key(agency.pk, field.pk, grade) in self.positions
            or (agency.code, field.code, search_key(grade)) in self.positions_added
        )


def import_staff(
    actor: User | None, workbook: StaffWorkbook, found: Sequence[Problem] = ()
) -> ImportReport:
    """Apply the read sheets, all or nothing: positions, then officers (by staff number),
    norms and travel times.

    First every row is looked up against the records, a row the sheet reader found problems in
    too (``found``, its ``flawed`` columns left out): every problem of every row is reported at
    once (``StaffImportRefused``), in the sheets' order, and nothing is written."""
    _require_arranger(actor)
    refs = _References(actor, workbook)
    problems = [*found, *_reference_problems(workbook, refs)]
    if problems:
        raise StaffImportRefused(_in_order(problems, workbook))
    report = ImportReport(titles=dict(workbook.titles))
    with transaction.atomic():
        steps: tuple[tuple[Kind, Sequence[Any], Callable], ...] = (
            (Kind.POSITIONS, workbook.positions, _import_position),
            (Kind.OFFICERS, workbook.officers, _import_officers),
            (Kind.NORMS, workbook.norms, _import_norm),
            (Kind.TRAVEL, workbook.travel, _import_travel),
        )
        for kind, rows, apply in steps:
            if kind not in workbook.titles:
                continue
            counts = report.counts.setdefault(kind, Counts())
            if kind == Kind.OFFICERS:
                apply(actor, rows, refs, counts)
            else:
                for row in rows:
                    apply(actor, row, refs, counts)
    return report


def _in_order(problems: Sequence[Problem], workbook: StaffWorkbook) -> list[Problem]:
    """The sheets in the order they are applied (one no kind of sheet first), each sheet's own
    problems before its rows', the rows in order, a row's problems in its columns' order."""
    kinds = {title: kind for kind, title in workbook.titles.items()}
    order = [*Kind]

    def key(problem: Problem) -> tuple[int, int, int]:
        kind = kinds.get(problem.sheet)
        if kind is None:
            return -1, problem.row or 0, 0
        headers = [c.header for c in COLUMNS[kind]]
        column = headers.index(problem.column) if problem.column in headers else -1
        return order.index(kind), problem.row or 0, column

    return sorted(problems, key=key)


def _reference_problems(workbook: StaffWorkbook, refs: _References) -> list[Problem]:
    problems: list[Problem] = []
    for row in workbook.positions:
        _agency(row, Kind.POSITIONS, "agency", row.agency, refs, problems)
        _field(row, Kind.POSITIONS, "field", row.field, refs, problems)
    named_on: dict[str, int] = {}
    linked = {
        user_id: number
        for user_id, number in Officer.objects.filter(user__in=refs.accounts.values()).values_list(
            "user_id", "staff_number"
        )
    }
    for row in workbook.officers:
        problems += _officer_problems(row, refs, linked, named_on)
    for row in workbook.norms:
        problems += _norm_problems(row, refs)
    for row in workbook.travel:
        for key, code in (("one", row.one), ("other", row.other)):
            if key not in row.flawed and code not in refs.units:
                problems.append(row.at.problem(Kind.TRAVEL, key, UNKNOWN_UNIT, code=code))
    return problems


def _agency(
    row: Any, kind: Kind, key: str, code: str, refs: _References, problems: list
) -> Agency | None:
    """The agency the row names in ``key``, or None (a problem when the cell was readable)."""
    if key in row.flawed:
        return None
    agency = refs.agencies.get(code)
    if agency is None:
        problems.append(row.at.problem(kind, key, UNKNOWN_AGENCY, code=code))
    return agency


def _field(
    row: Any, kind: Kind, key: str, code: str, refs: _References, problems: list
) -> StaffField | None:
    """The staff field the row names in ``key``, or None (a problem when it was readable): the
    problem lists the codes when there are few."""
    if key in row.flawed:
        return None
    found = refs.fields.get(code)
    if found is None:
        if len(refs.fields) <= FIELD_CODES_LISTED:
            codes = ", ".join(sorted(refs.fields))
            problems.append(row.at.problem(kind, key, UNKNOWN_FIELD_LISTED, code=code, codes=codes))
        else:
            problems.append(row.at.problem(kind, key, UNKNOWN_FIELD, code=code))
    return found


def _import_position(
    actor: User | None, row: PositionRow, refs: _References, counts: Counts
) -> None:
    agency, staff_field = refs.agencies[row.agency], refs.fields[row.field]
    key = refs.position_key(agency.pk, staff_field.pk, row.grade)
    position = refs.positions.get(key)
    before = snapshot(position) if position else None
    position = position or Position(agency=agency, field=staff_field)
    position.grade, position.approved = row.grade, row.approved
    if before is None or snapshot(position) != before:
        position.save()
        _record_row(position, before, actor)
    counts.count(before, snapshot(position))
    refs.positions[key] = position


def _import_officers(
    actor: User | None, rows: Sequence[OfficerRow], refs: _References, counts: Counts
) -> None:
    existing = {
        o.staff_number: o
        for o in Officer.objects.filter(staff_number__in=[r.staff_number for r in rows])
        .select_related("user")
        .prefetch_related("qualifications")
    }
    for row in rows:
        officer = existing.get(row.staff_number)
        before = _officer_state(officer) if officer else None
        officer = officer or Officer()
        _write_row(officer, row, refs)
        after = _officer_state(officer)
        if before is None:
            record_change(CREATED, officer, actor=actor, after=after)
        else:
            _audit("officer.updated", officer, before, actor)
        counts.count(before, after)


def _officer_problems(
    row: OfficerRow, refs: _References, linked: dict[int, str], named_on: dict[str, int]
) -> list[Problem]:
    problems: list[Problem] = []
    kind = Kind.OFFICERS
    agency = _agency(row, kind, "agency", row.agency, refs, problems)
    post_field = _field(row, kind, "post_field", row.post_field, refs, problems)
    if "qualifications" not in row.flawed:
        for code in row.qualifications:
            _field(row, kind, "qualifications", code, refs, problems)
    post_read = agency is not None and post_field is not None and "post_grade" not in row.flawed
    if post_read and not refs.has_position(agency, post_field, row.post_grade):
        problems.append(
            row.at.problem(
                kind,
                "post_grade",
                "%(agency)s has no position of field %(field)s, grade %(grade)s: add it on "
                "the positions sheet",
                agency=agency.code,
                field=row.post_field,
                grade=row.post_grade,
            )
        )
    dates_read = not {"desk_posting_from", "desk_posting_until"} & row.flawed
    if agency is not None and row.desk_posting_given and dates_read:
        desk = desk_posting_problem(agency, row.desk_posting_from, row.desk_posting_until)
        if desk:
            problems.append(row.at.problem(kind, *desk, agency=agency.code))
    if row.account and "account" not in row.flawed:
        problems += _account_problems(row, refs, linked, named_on)
    return problems


def _account_problems(
    row: OfficerRow, refs: _References, linked: dict[int, str], named_on: dict[str, int]
) -> list[Problem]:
    kind = Kind.OFFICERS
    account = refs.accounts.get(row.account)
    problems = []
    if account is None:
        problems.append(
            row.at.problem(
                kind,
                "account",
                "no active account has the user name %(username)s",
                username=row.account,
            )
        )
    elif linked.get(account.pk, row.staff_number) != row.staff_number:
        problems.append(
            row.at.problem(
                kind,
                "account",
                "the account %(username)s is linked to officer %(staff_number)s",
                username=row.account,
                staff_number=linked[account.pk],
            )
        )
    elif row.account in named_on:
        problems.append(
            row.at.problem(
                kind,
                "account",
                "the account %(username)s is named on row %(row)d too",
                username=row.account,
                row=named_on[row.account],
            )
        )
    named_on.setdefault(row.account, row.at.row)
    return problems


def _write_row(officer: Officer, row: OfficerRow, refs: _References) -> None:
    agency = refs.agencies[row.agency]
    post_field = refs.fields[row.post_field]
    officer.staff_number, officer.full_name = row.staff_number, row.full_name
    officer.agency = agency
    officer.position = refs.positions[refs.position_key(agency.pk, post_field.pk, row.post_grade)]
    officer.grade, officer.experience_years = row.grade, row.experience_years
    officer.in_post_since = row.in_post_since
    if row.desk_posting_given:
        officer.desk_posting_from = row.desk_posting_from
        officer.desk_posting_until = row.desk_posting_until
    if row.account:
        officer.user = refs.accounts[row.account]
    if row.citizen_id:
        officer.citizen_id = row.citizen_id
    if row.phone:
        officer.phone = row.phone
    officer.save()
    wanted = [refs.fields[code] for code in row.qualifications]
    if sorted(f.pk for f in officer.qualifications.all()) != sorted(f.pk for f in wanted):
        officer.qualifications.set(wanted)


def _norm_problems(row: NormRow, refs: _References) -> list[Problem]:
    problems: list[Problem] = []
    _field(row, Kind.NORMS, "field", row.field, refs, problems)
    if "applies_to" in row.flawed or not row.applies_to:
        return problems
    if row.applies_to.isdigit():
        unit = refs.units.get(row.applies_to)
        if unit is None or unit.tier != Tier.COMMUNE:
            problems.append(
                row.at.problem(Kind.NORMS, "applies_to", UNKNOWN_COMMUNE, code=row.applies_to)
            )
        return problems
    agency = _agency(row, Kind.NORMS, "applies_to", row.applies_to, refs, problems)
    if agency is not None and agency.unit.tier != Tier.PROVINCE:
        message = "%(code)s is not a provincial agency: a commune's norm names the commune"
        problems.append(row.at.problem(Kind.NORMS, "applies_to", message, code=row.applies_to))
    return problems


def _import_norm(actor: User | None, row: NormRow, refs: _References, counts: Counts) -> None:
    staff_field = refs.fields[row.field]
    unit = refs.units[row.applies_to] if row.applies_to.isdigit() else None
    agency = refs.agencies[row.applies_to] if row.applies_to and unit is None else None
    norm = NormRule.objects.filter(field=staff_field, unit=unit, agency=agency).first()
    before = snapshot(norm) if norm else None
    norm = norm or NormRule()
    spec = NormSpec(
        field=staff_field,
        basis=row.basis,
        count=row.count,
        dossiers_per_officer_month=row.dossiers_per_officer_month,
        minimum=row.minimum,
        unit=unit,
        agency=agency,
        note=row.note,
    )
    _write_norm(norm, spec)
    _record_row(norm, before, actor)
    counts.count(before, snapshot(norm))


def _import_travel(actor: User | None, row: TravelRow, refs: _References, counts: Counts) -> None:
    first, second = sorted((refs.units[row.one], refs.units[row.other]), key=lambda u: u.pk)
    travel = TravelTime.objects.filter(one=first, other=second).first()
    before = snapshot(travel) if travel else None
    travel = travel or TravelTime(one=first, other=second)
    travel.minutes = row.minutes
    if before is None or snapshot(travel) != before:
        travel.save()
        _record_row(travel, before, actor)
    counts.count(before, snapshot(travel))
