"""Reads of dossiers. The scoping rule for dossiers lives here and only here.

A commune officer sees the dossiers of their commune: those received at or handled by any of
its agencies. A provincial department or desk sees the dossiers it has received or handled.
Supervisors and system administrators see all of them.
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haicap.accounts.models import User
from haicap.calendar.selectors import calendar_for
from haicap.calendar.workdays import VIETNAM, WorkCalendar
from haicap.catalog.compiled import compiled
from haicap.catalog.models import Procedure, ProcessTemplate
from haicap.catalog.template_names import translated_name
from haicap.core import clock
from haicap.core.errors import NotFound
from haicap.core.masking import mask_citizen_id
from haicap.core.roles import Role
from haicap.core.scoping import Scope, scope_of
from haicap.core.text import search_key
from haicap.dossiers import demo_authority, pades, signature_checks, signing
from haicap.dossiers.models import (
    ApplicantPaper,
    DeskRecord,
    DigitisedPaper,
    Dossier,
    DossierDocument,
    DossierEvent,
    OnlineSubmission,
    SignedResult,
    SubmissionDocument,
)
from haicap.dossiers.personal_data import shown_id_number, shown_phone
from haicap.units.models import Agency
from haicap.workflow.engine import StepKind, Template


def sees_personal_data(user: User) -> bool:
    """Officers who handle dossiers see whom they serve; a supervisor sees figures, not people."""
    return not scope_of(user).read_only


def visible_dossiers(user: User) -> QuerySet[Dossier]:
    return Dossier.objects.restrict(user)


def get_dossier(user: User, code: str) -> Dossier:
    dossier = (
        visible_dossiers(user)
        .select_related("procedure", "receiving_agency", "competent_agency__unit", "template")
        .filter(code=code)
        .first()
    )
    if dossier is None:  # the same answer whether it does not exist or is out of scope
        raise NotFound()
    return dossier


def filter_dossiers(
    user: User,
    *,
    step: str | None = None,
    agency_code: str | None = None,
    unit_code: str | None = None,
    field_code: str | None = None,
    procedure_code: str | None = None,
    channel: str | None = None,
    overdue: bool | None = None,
    received_from: dt.datetime | None = None,
    received_to: dt.datetime | None = None,
    finished_from: dt.datetime | None = None,
    finished_to: dt.datetime | None = None,
    timeliness: str | None = None,
    query: str = "",
) -> QuerySet[Dossier]:
    """The caller's dossiers narrowed by the filters of the lists, exports and API alike."""
    lookups = {
        "step": step,
        "competent_agency__unit__code": unit_code,
        "procedure__field__code": field_code,
        "procedure__national_code": procedure_code,
        "channel": channel,
        "received_at__gte": received_from,
        "received_at__lt": received_to,
        "finished_at__gte": finished_from,
        "finished_at__lt": finished_to,
        "timeliness": timeliness,
    }
    dossiers = visible_dossiers(user).filter(**{k: v for k, v in lookups.items() if v})
    if agency_code:
        dossiers = dossiers.filter(
            Q(competent_agency__code=agency_code) | Q(receiving_agency__code=agency_code)
        )
    if overdue is not None:
        late = Q(finished_at__isnull=True, paused_at__isnull=True, due_at__lt=clock.now())
        dossiers = dossiers.filter(late) if overdue else dossiers.exclude(late)
    for word in search_key(query).split():
        dossiers = dossiers.filter(Q(applicant_search__contains=word) | Q(code__icontains=word))
    return dossiers


def sees_every_dossier_of(user: User, unit_code: str, field_code: str) -> bool:
    """Whether ``user``'s dossier list (``filter_dossiers``, the dossiers' one scoping rule)
    holds every dossier decided in the unit ``unit_code`` in the field ``field_code``: a page
    offers a link to that list only when it shows what the page counts."""
    every = Dossier.objects.filter(
        competent_agency__unit__code=unit_code, procedure__field__code=field_code
    )
    seen = filter_dossiers(user, unit_code=unit_code, field_code=field_code)
    return not every.exclude(pk__in=seen.values("pk")).exists()


def received_by(user: User, agency: Agency, since: dt.date, until: dt.date) -> QuerySet[Dossier]:
    """The dossiers ``agency`` received from ``since`` to ``until`` (inclusive), in order."""
    start = dt.datetime.combine(since, dt.time(0), tzinfo=VIETNAM)
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(0), tzinfo=VIETNAM)
    return (
        visible_dossiers(user)
        .filter(receiving_agency=agency, received_at__gte=start, received_at__lt=end)
        .select_related("procedure")
        .order_by("received_at", "pk")
    )


@dataclass(frozen=True)
class LogBookEntry:
    """One line of the log book (form 07): the columns the law lists (domain.md 7, "Log book":
    address or phone, agency in charge, date returned, how it was received, signature)."""

    number: str  # "12/2026"; "" for a dossier received before the book was numbered
    code: str
    procedure: str
    sets: int
    applicant: str
    address: str
    phone: str  # as the reader is shown it (``shown_phone``)
    agency_in_charge: str
    received_at: dt.datetime
    due_at: dt.datetime
    finished_at: dt.datetime | None
    timeliness: str
    returned_at: dt.datetime | None
    returned_via: str  # "desk", "post", "electronic"; "" while not returned
    receiver: str  # who signed for it at the desk, or the postal tracking number
    receiver_id_number: str  # masked always: the book is a list


def log_book(user: User, agency: Agency, since: dt.date, until: dt.date) -> list[LogBookEntry]:
    """The log book of the dossiers ``agency`` received from ``since`` to ``until``, in the
    order they were received, with how and to whom each result went back."""
    personal = sees_personal_data(user)
    returns = Prefetch(
        "events",
        queryset=DossierEvent.objects.filter(action="return_result").order_by("seq"),
        to_attr="returns",
    )
    dossiers = (
        received_by(user, agency, since, until)
        .select_related("competent_agency")
        .prefetch_related(returns)
    )
    return [_log_book_entry(d, d.returns[-1] if d.returns else None, personal) for d in dossiers]


def _log_book_entry(
    dossier: Dossier, returned: DossierEvent | None, personal: bool
) -> LogBookEntry:
    data = returned.data if returned else {}
    # a return recorded before the way was asked was a hand-over at the desk
    via = data.get("returned_via", "desk") if returned else ""
    collector = data.get("collected_by") or {}
    return LogBookEntry(
        number=f"{dossier.log_number}/{dossier.log_year}" if dossier.log_number else "",
        code=dossier.code,
        procedure=dossier.procedure.name,
        sets=dossier.result_sets,
        applicant=dossier.applicant_name,
        address=dossier.applicant_address if personal else "",
        phone=shown_phone(dossier.applicant_phone, personal),
        agency_in_charge=dossier.competent_agency.name,
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        finished_at=dossier.finished_at,
        timeliness=dossier.timeliness,
        returned_at=returned.at if returned else None,
        returned_via=via,
        receiver=collector.get("name") or data.get("tracking_number", ""),
        receiver_id_number=mask_citizen_id(collector.get("id_number", "")),
    )


def pending_submissions(user: User) -> QuerySet[OnlineSubmission]:
    """Online submissions waiting at the desks where the user is an intake officer."""
    return (
        OnlineSubmission.objects.restrict(user)
        .filter(status=OnlineSubmission.Status.PENDING)
        .select_related("procedure", "desk", "repeat_of__dossier")
        .order_by("submitted_at", "pk")
    )


def submission_filed_with(filing_token: str) -> OnlineSubmission | None:
    """The submission a portal form's one-time token already filed, if any. Public: whoever
    holds the token is the one who was shown the form."""
    return OnlineSubmission.objects.filter(filing_token=filing_token).first()


def filed_submission(reference: str) -> OnlineSubmission:
    """An online submission for its filing's confirmation page; the portal shows it only to the
    session that filed it."""
    submission = (
        OnlineSubmission.objects.select_related("procedure", "desk")
        .filter(reference=reference)
        .first()
    )
    if submission is None:
        raise NotFound()
    return submission


def submission_document_of(user: User, submission_id: int, document_id: int) -> SubmissionDocument:
    """A paper of an online submission waiting at one of the user's desks."""
    document = SubmissionDocument.objects.filter(
        submission__in=pending_submissions(user), submission_id=submission_id, pk=document_id
    ).first()
    if document is None:
        raise NotFound()
    return document


def document_of(user: User, code: str, document_id: int) -> DossierDocument:
    document = (
        DossierDocument.objects.filter(dossier__in=visible_dossiers(user), dossier__code=code)
        .filter(pk=document_id)
        .first()
    )
    if document is None:
        raise NotFound()
    return document


@dataclass(frozen=True)
class LateStart:
    """The legal time of a receipt began later than the receipt itself."""

    at: dt.datetime  # the next session the office opens
    after_cutoff: bool  # received in office hours, but after the day's last time for receipts


def late_clock_start(dossier: Dossier, calendar: WorkCalendar | None = None) -> LateStart | None:
    """When the legal time began for a receipt out of office hours or after the day's cut-off;
    None when it began at the receipt itself. ``calendar``: the competent agency's, if read."""
    calendar = calendar or calendar_for(dossier.competent_agency.unit)
    start = calendar.clock_start(dossier.received_at, dossier.cutoff)
    if start <= dossier.received_at:
        return None
    in_hours = calendar.clock_start(dossier.received_at) == dossier.received_at
    return LateStart(start, after_cutoff=in_hours)


def provisional_days_of(dossier: Dossier, calendar: WorkCalendar | None = None) -> list[dt.date]:
    """The provisional days off between the receipt and the due date ("tạm tính").

    A package's estimate for a year not yet announced, or a policy day (24/11) the province
    has not confirmed: the due date counts them as off, and moves if the province removes one.
    ``calendar``: the competent agency's, if read.
    """
    calendar = calendar or calendar_for(dossier.competent_agency.unit)
    return calendar.provisional_days_crossed(dossier.received_at, dossier.due_at)


def template_of(dossier: Dossier) -> Template:
    """The process template version the dossier pinned when it was received."""
    return compiled(dossier.template)


@dataclass(frozen=True)
class PublicView:
    """What the applicant is told: nothing personal, nothing internal."""

    status: str
    late: bool
    waiting_for_you: str | None  # the note saying what to bring or pay, while the clock waits
    # How the result was handed back (at the desk, by post, electronically), "" before: the
    # applicant learns where their result went (Decree 118/2025 Art. 22, the way form 01 chose).
    returned_via: str = ""


def public_view(dossier: Dossier) -> PublicView:
    waiting = None
    if dossier.step_kind == StepKind.WAITING:
        last = dossier.events.order_by("-seq").first()
        waiting = last.note if last else ""
    late = not dossier.is_paused and (dossier.finished_at or clock.now()) > dossier.due_at
    returned = dossier.events.filter(action="return_result").order_by("-seq").first()
    via = _way(returned.data.get("returned_via", "desk")) if returned else ""
    name = translated_name(template_of(dossier).step(dossier.step).name)
    return PublicView(name, late, waiting, via)


# --- the desk's queues -------------------------------------------------------------------------

QUEUE_ROWS = 10  # rows shown per queue on the desk's home; the count covers them all


def _published_steps() -> Iterator[dict]:
    for definition in ProcessTemplate.objects.values_list("definition", flat=True):
        yield from definition.get("steps", [])


def steps_by_role() -> dict[str, set[str]]:
    """For each role, the codes of the steps (in any published template) at which it acts."""
    return _steps_of(_published_steps())[0]


def done_steps() -> set[str]:
    """The codes of the steps (in any published template) where a result waits to be handed back."""
    return _steps_of(_published_steps())[1]


def _steps_of(steps: Iterator[dict]) -> tuple[dict[str, set[str]], set[str]]:
    """``steps_by_role`` and ``done_steps`` from one read of the templates (the desk's home
    wants both, on every visit)."""
    by_role: dict[str, set[str]] = {}
    done: set[str] = set()
    for step in steps:
        for role in step.get("roles", []):
            by_role.setdefault(role, set()).add(step["code"])
        if step.get("kind") == StepKind.DONE:
            done.add(step["code"])
    return by_role, done


def step_names() -> list[tuple[str, str]]:
    """Every step of the published templates, by code, with its name in the reader's language
    (for filters, exports)."""
    names: dict[str, str] = {}
    for step in _published_steps():
        names.setdefault(step["code"], translated_name(step["name"]))
    return sorted(names.items(), key=lambda item: item[1])


def _agencies_of_communes(scope: Scope) -> dict[int, list[int]]:
    """The agencies of each commune whose bodies the user acts as one with."""
    agencies: dict[int, list[int]] = {unit_id: [] for unit_id in scope.communes}
    for unit_id, agency_id in Agency.objects.filter(unit_id__in=scope.communes).values_list(
        "unit_id", "pk"
    ):
        agencies[unit_id].append(agency_id)
    return agencies


def _handled_by(scope: Scope, roles: set[str], communes: dict[int, list[int]]) -> Q:
    """Dossiers handled where the user holds one of ``roles``: by any agency of the bodies
    (``core.scoping.acting_body``) of the user's memberships with those roles.

    The handling agencies are named as a list, so the index of open dossiers by handling agency
    answers the queues directly."""
    agencies: set[int] = set()
    for body in scope.bodies(roles):
        agencies.update(communes[body.unit_id] if body.unit_id is not None else [body.agency_id])
    return Q(competent_agency_id__in=sorted(agencies))


def _my_turn(scope: Scope, steps: dict[str, set[str]], communes: dict[int, list[int]]) -> Q:
    """Dossiers at a step where the user, by their roles there, is the one to act.

    The desk that received a dossier hands it over and returns the result; the other roles act
    where the dossier is handled.
    """
    desks = scope.agencies_where(Role.INTAKE_OFFICER)
    turn = Q(receiving_agency_id__in=desks, step__in=steps.get(Role.INTAKE_OFFICER, set()))
    for role in {m.role for m in scope.memberships} - {Role.INTAKE_OFFICER}:
        turn |= _handled_by(scope, {role}, communes) & Q(step__in=steps.get(role, set()))
    return turn


ASSIGNED_STEPS_ROLE = Role.SPECIALIST  # "assign" hands a dossier to one specialist


def work_queues(user: User, now: dt.datetime, warn_until: dt.datetime) -> dict[str, QuerySet]:
    """The desk's home: each queue of the user's work, soonest due first.

    A dossier is in the user's work while it is at a step where one of the user's roles acts
    (the receiving desk's turns, or the handling agency's), until it reaches its end — a result
    waiting to be handed back included, though its clock has stopped. At a step where work is
    assigned, a dossier assigned to a colleague is the colleague's. ``warn_until`` is the moment
    one working day from now: a running dossier due by then is approaching its due moment. A
    supervisor, who acts on nothing, has empty queues. A result waiting to be handed back is in
    its own queue ("ready"), not among the work to take up.
    """
    return _queues(_queue_parts(user, now, warn_until))


def counted_work_queues(
    user: User, now: dt.datetime, warn_until: dt.datetime
) -> tuple[dict[str, QuerySet], dict[str, int]]:
    """``work_queues`` and how many dossiers each holds: the four of the user's own turns
    counted in one query, the approvals in another."""
    parts = _queue_parts(user, now, warn_until)
    mine, conditions, approval = parts
    counts = mine.aggregate(**{n: Count("pk", filter=c) for n, c in conditions.items()})
    counts["approval"] = approval.count()
    return _queues(parts), counts


# What a queue's row shows (``desk/_queue_table.html``) and times (``desk.timing``), and no more:
# the queues are read on every visit to the desk's home, five at a time.
QUEUE_ROW_FIELDS = (
    "code",
    "applicant_name",
    "received_at",
    "due_at",
    "timeliness",
    "finished_at",
    "paused_at",
    "procedure",
    "procedure__name",
    "competent_agency",
    "competent_agency__unit_id",
)


def queue_heads(
    user: User, now: dt.datetime, warn_until: dt.datetime
) -> tuple[dict[str, int], dict[str, list[Dossier]]]:
    """How many dossiers each of ``work_queues`` holds and its first ``QUEUE_ROWS``, soonest due
    first, in one query: each queue's rows numbered and counted by a window over the dossiers of
    any queue, those within the first ``QUEUE_ROWS`` of some queue returned. The desk's home
    asked seven queries (the counts, the approvals' count, a queue's rows each) for the same."""
    names = [*QUEUE_NAMES, "approval"]
    counts, heads = dict.fromkeys(names, 0), {name: [] for name in names}
    scope = scope_of(user)
    if scope.read_only:
        return counts, heads
    own, conditions, approval = _queue_conditions(user, scope, now, warn_until)
    flags = {
        name: own & condition if approval else condition for name, condition in conditions.items()
    }
    if approval is not None:
        flags["approval"] = approval
    shown = list(flags)
    annotations: dict = {}
    for place, name in enumerate(shown):
        flag = ExpressionWrapper(flags[name], output_field=BooleanField())
        annotations[f"in_{place}"] = flag
        annotations[f"place_{place}"] = Window(
            RowNumber(), partition_by=[flag], order_by=[F("due_at").asc(), F("pk").asc()]
        )
        annotations[f"size_{place}"] = Window(Count("pk"), partition_by=[flag])
    first = Q()
    for place in range(len(shown)):
        first |= Q(**{f"place_{place}__lte": QUEUE_ROWS})
    rows = (
        visible_dossiers(user)
        .filter(outcome="")
        .filter(own | approval if approval is not None else own)
        .select_related("procedure", "competent_agency")
        .only(*QUEUE_ROW_FIELDS)
        .annotate(**annotations)
        .filter(first)
        .order_by("due_at", "pk")
    )
    for dossier in rows:
        values = dossier.__dict__
        for place, name in enumerate(shown):
            if values[f"in_{place}"] and values[f"place_{place}"] <= QUEUE_ROWS:
                heads[name].append(dossier)
                counts[name] = values[f"size_{place}"]
    return counts, heads


def _queues(parts: tuple) -> dict[str, QuerySet]:
    mine, conditions, approval = parts
    queues = {name: mine.filter(condition) for name, condition in conditions.items()}
    queues["approval"] = approval
    return {
        name: q.select_related("procedure", "competent_agency")
        .only(*QUEUE_ROW_FIELDS)
        .order_by("due_at", "pk")
        for name, q in queues.items()
    }


QUEUE_NAMES = ("assigned", "unassigned", "approaching", "overdue", "ready")


def _queue_parts(
    user: User, now: dt.datetime, warn_until: dt.datetime
) -> tuple[QuerySet[Dossier], dict[str, Q], QuerySet[Dossier]]:
    """The dossiers at the user's turn, each queue's condition on them, and the approvals."""
    scope = scope_of(user)
    if scope.read_only:
        conditions = dict.fromkeys(QUEUE_NAMES, Q())
        return Dossier.objects.none(), conditions, Dossier.objects.none()
    own, conditions, approval = _queue_conditions(user, scope, now, warn_until)
    mine = visible_dossiers(user).filter(outcome="").filter(own)
    approvals = (
        visible_dossiers(user).filter(outcome="").filter(approval)
        if approval is not None
        else Dossier.objects.none()
    )
    return mine, conditions, approvals


def _queue_conditions(
    user: User, scope: Scope, now: dt.datetime, warn_until: dt.datetime
) -> tuple[Q, dict[str, Q], Q | None]:
    """The dossiers at the user's turn (of those visible and not ended), each queue's condition
    on them, and the approvals (``None``: the user leads nowhere)."""
    steps, done = _steps_of(_published_steps())
    communes = _agencies_of_communes(scope)
    colleagues = Q(assignee__isnull=False, step__in=steps.get(ASSIGNED_STEPS_ROLE, set())) & ~Q(
        assignee=user
    )
    own = _my_turn(scope, steps, communes) & ~colleagues
    running = Q(finished_at__isnull=True, paused_at__isnull=True)
    ready = Q(step__in=done)
    conditions = {
        "assigned": Q(assignee=user) & ~ready,
        "unassigned": Q(assignee__isnull=True, paused_at__isnull=True) & ~ready,
        "approaching": running & Q(due_at__gte=now, due_at__lte=warn_until),
        "overdue": running & Q(due_at__lt=now),
        "ready": ready,
    }
    return own, conditions, _approval_condition(scope, steps, communes)


def _approval_condition(
    scope: Scope, steps: dict[str, set[str]], communes: dict[int, list[int]]
) -> Q | None:
    """Dossiers at a leader's step where the user leads (``None``: nowhere)."""
    if not scope.bodies({Role.LEADER}):
        return None
    return _handled_by(scope, {Role.LEADER}, communes) & Q(step__in=steps.get(Role.LEADER, set()))


def _approval(
    user: User, scope: Scope, steps: dict[str, set[str]], communes: dict[int, list[int]]
) -> QuerySet[Dossier]:
    approval = _approval_condition(scope, steps, communes)
    if approval is None:
        return Dossier.objects.none()
    return visible_dossiers(user).filter(approval, outcome="")


def submitted_drafts(dossiers: list[Dossier]) -> dict[int, list[DossierDocument]]:
    """The papers each dossier's latest submission for approval carried (the draft result), by
    dossier id: the leader reads them from the approval queue. ``dossiers``: already scoped."""
    papers = (
        DossierDocument.objects.filter(dossier__in=dossiers, event__action="submit")
        .select_related("event")
        .order_by("dossier_id", "-event__seq", "pk")
    )
    latest: dict[int, list[DossierDocument]] = {}
    for paper in papers:
        kept = latest.setdefault(paper.dossier_id, [])
        if not kept or kept[0].event_id == paper.event_id:  # an older submission's are replaced
            kept.append(paper)
    return latest


def approval_queue(user: User) -> QuerySet[Dossier]:
    """Dossiers waiting for the signature of a leader where the user leads."""
    scope = scope_of(user)
    if scope.read_only:
        return Dossier.objects.none()
    return (
        _approval(user, scope, steps_by_role(), _agencies_of_communes(scope))
        .select_related("procedure", "competent_agency", "assignee")
        .order_by("due_at", "pk")
    )


def collector_of(events: list[DossierEvent], personal: bool) -> dict | None:
    """Who collected the result and when, as the return event recorded it; the ID number
    masked for a reader who does not see personal data (``sees_personal_data``)."""
    returned = next((e for e in reversed(events) if e.action == "return_result"), None)
    if returned is None:
        return None
    person = returned.data.get("collected_by")
    via = returned.data.get("returned_via", "desk")
    shown = {"via": via, "way": _way(via), "at": returned.at, "id_number": "", "tracking": ""}
    if via == "electronic":  # nobody signs: the applicant downloads the signed result
        return shown | {"name": str(ELECTRONIC_RECEIVER)}
    if person is None:  # by post: the postal item's number, under its own label
        return shown | {"name": "", "tracking": returned.data.get("tracking_number", "")}
    name = person["name"]
    if returned.data.get("receiver") == "authorised":
        name = _("%(name)s (authorised)") % {"name": name}
    return shown | {"name": name, "id_number": shown_id_number(person["id_number"], personal)}


# Who "received" a result handed back electronically, in the log book and on the dossier's page
ELECTRONIC_RECEIVER = gettext_lazy(
    "Electronic copy: the applicant downloads it through the portal or the dossier look-up"
)


def _way(via: str) -> str:
    return str(dict(Dossier.Delivery.choices).get(via, via))


def _day_bounds(since: dt.date, until: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(since, dt.time(0), tzinfo=VIETNAM)
    return start, dt.datetime.combine(until + dt.timedelta(days=1), dt.time(0), tzinfo=VIETNAM)


def desk_records(
    user: User, since: dt.date, until: dt.date, kind: str | None = None
) -> QuerySet[DeskRecord]:
    """Guidance and refusals given at intake from ``since`` to ``until`` (inclusive) at the desks
    the user may see, newest first."""
    start, end = _day_bounds(since, until)
    records = DeskRecord.objects.restrict(user).filter(at__gte=start, at__lt=end)
    if kind:
        records = records.filter(kind=kind)
    return records.select_related("desk", "procedure", "officer").order_by("-at", "-pk")


def get_desk_record(user: User, record_id: int) -> DeskRecord:
    record = (
        DeskRecord.objects.restrict(user)
        .select_related("desk__unit", "procedure", "officer")
        .filter(pk=record_id)
        .first()
    )
    if record is None:
        raise NotFound()
    return record


@dataclass(frozen=True)
class DeskRecordCount:
    desk: str
    guidance: int
    refusals: int


def desk_record_counts(user: User, since: dt.date, until: dt.date) -> list[DeskRecordCount]:
    """Per desk the user sees, how many guidance notes and refusals it gave in the period (the
    figures provinces report beside the dossiers received)."""
    rows = (
        desk_records(user, since, until)
        .order_by()
        .values("desk__name")
        .annotate(
            guidance=Count("pk", filter=Q(kind=DeskRecord.Kind.GUIDANCE)),
            refusals=Count("pk", filter=Q(kind=DeskRecord.Kind.REFUSAL)),
        )
        .order_by("desk__name")
    )
    return [DeskRecordCount(r["desk__name"], r["guidance"], r["refusals"]) for r in rows]


# --- digitised papers and the applicant's store ------------------------------------------------

# Papers only shown at the desk are not digitised (Circular 03/2025/TT-VPCP Art. 5).
NOT_DIGITISED_FORMS = frozenset({"shown"})


def papers_to_digitise(procedure: Procedure) -> list[str]:
    """The names of the papers of the procedure's list that the desk digitises, in its order."""
    return papers_to_digitise_in(procedure.documents)


def papers_to_digitise_in(documents: list | None) -> list[str]:
    """``papers_to_digitise`` of a list of papers as stored (``Procedure.documents``)."""
    names = []
    for paper in documents or []:
        name = str(paper.get("name", "")).strip()
        if name and paper.get("form") not in NOT_DIGITISED_FORMS and name not in names:
            names.append(name)
    return names


def store_holder(dossier: Dossier) -> str:
    """The key of the applicant's store: their citizen ID number, or the enterprise code of a
    business filing without one; empty when the dossier has neither."""
    return dossier.applicant_id_number or dossier.business_code


def digitised_papers(dossier: Dossier) -> list[DigitisedPaper]:
    """The dossier's digitised papers (the dossier was read through the caller's scope)."""
    return list(
        dossier.digitised_papers.select_related("document", "reused_from__dossier").order_by("pk")
    )


def stored_copies_offered(user: User, dossier: Dossier) -> list[ApplicantPaper]:
    """The latest stored copy of each paper the dossier still needs digitised, from its
    applicant's store, as far as the user may see the store (``ApplicantPaper.visible_to``)."""
    holder = store_holder(dossier)
    wanted = set(papers_to_digitise(dossier.procedure)) - set(
        dossier.digitised_papers.values_list("paper", flat=True)
    )
    if not holder or not wanted:
        return []
    latest: dict[str, ApplicantPaper] = {}
    stored = (
        ApplicantPaper.objects.restrict(user)
        .filter(holder=holder, paper__in=wanted)
        .select_related("dossier", "stored_by")
        .order_by("-stored_at", "-pk")
    )
    for copy_ in stored:
        latest.setdefault(copy_.paper, copy_)
    return sorted(latest.values(), key=lambda c: c.paper)


def applicant_store(user: User, holder: str) -> QuerySet[ApplicantPaper]:
    """A person's stored papers, newest first, as far as the user may see them."""
    return (
        ApplicantPaper.objects.restrict(user)
        .filter(holder=holder)
        .select_related("dossier", "stored_by")
        .order_by("-stored_at", "-pk")
    )


@dataclass(frozen=True)
class DigitisationShare:
    """Dossiers received on paper in a period, and how many had every paper digitised."""

    paper_dossiers: int
    fully_digitised: int
    papers_digitised: int
    papers_reused: int

    @property
    def share(self) -> float | None:
        return self.fully_digitised / self.paper_dossiers if self.paper_dossiers else None


def digitisation_share(user: User, since: dt.datetime, until: dt.datetime) -> DigitisationShare:
    """For the service-quality index (Decision 766/QĐ-TTg, group MDSH: "share digitised at
    receipt", "share of digitised data reused"; the exact formula was not found, domain.md §3):
    the user's dossiers received on paper (at the desk or by post; online dossiers stay out,
    see ``index.PAPER_CHANNELS``) from ``since`` (inclusive) to ``until`` (exclusive) whose
    procedure asks for at least one paper to digitise; of them, those with every such paper
    digitised or reused; and the papers digitised and reused in them."""
    procedures = Procedure.objects.filter(
        pk__in=visible_dossiers(user)
        .filter(received_at__gte=since, received_at__lt=until)
        .values("procedure_id")
    )
    asking = [p.pk for p in procedures if papers_to_digitise(p)]
    dossiers = visible_dossiers(user).filter(
        received_at__gte=since,
        received_at__lt=until,
        channel__in=[Dossier.Channel.DESK, Dossier.Channel.POST],
        procedure_id__in=asking,
    )
    counts = dossiers.aggregate(
        paper_dossiers=Count("pk"),
        fully_digitised=Count(
            "pk",
            filter=Q(digitisation__papers_digitised__gte=F("digitisation__papers_asked")),
        ),
        papers_digitised=Sum("digitisation__papers_digitised", default=0),
        papers_reused=Sum("digitisation__papers_reused", default=0),
    )
    return DigitisationShare(**counts)


# --- the electronic result ---------------------------------------------------------------------


def signed_result_of(user: User, code: str) -> SignedResult:
    """The signed result of a dossier the user may see (the desk downloads it)."""
    result = (
        SignedResult.objects.filter(dossier__in=visible_dossiers(user), dossier__code=code)
        .select_related("document", "dossier", "agency")
        .first()
    )
    if result is None:
        raise NotFound()
    return result


def dossier_by_code(code: str) -> Dossier | None:
    """A dossier by its code, unscoped: only for the public pages that then check its applicant
    opened it with the PIN (``portal.opened``); nothing of it is shown without that check."""
    return Dossier.objects.filter(code=code[:60]).first()


def signed_result_for(dossier: Dossier) -> SignedResult | None:
    """The signed result of a dossier already read within the reader's rights (the desk's
    scoped dossier, or the one its applicant opened with the code and PIN)."""
    return SignedResult.objects.filter(dossier=dossier).select_related("document", "agency").first()


def check_signed_result(result: SignedResult) -> pades.Verification:
    """The stored PDF's signature checked against the operator's trusted roots: intact, over
    the whole file, from a certificate they vouch for. Checked once per file and roots
    (``signature_checks``); a file that cannot be read now is UNCHECKED, not INVALID."""
    try:
        with result.document.file.open("rb") as stored:
            data = stored.read()
    except OSError as error:
        reason = f"the stored file cannot be read: {error}"
        return pades.Verification(pades.Verdict.UNCHECKED, reason=reason)
    return signature_checks.checked(data, signing.trust_roots())


@dataclass(frozen=True)
class ResultSignature:
    """A signed result's signature as the desk and the applicant read it."""

    verdict: pades.Verdict
    signer_name: str  # the certificate's common name: the body that signed
    signer_organisation: str  # the certificate's organisation (an agency's: its code)
    signed_at: dt.datetime
    level: str  # "PAdES-B-B"
    test_certificate: bool  # from the demo's test authority: never a real signature

    @property
    def valid(self) -> bool:
        return self.verdict == pades.Verdict.VALID


def result_signature(result: SignedResult) -> ResultSignature:
    """Who signed the result, when, and whether the signature holds. The names are the
    certificate's in the file; when the check could not read them, the issuing body's that
    signed it, as recorded then."""
    checked = check_signed_result(result)
    names = checked.names
    subject = (names.common_name, names.organisation, names.unit)
    if not names.common_name:
        names = pades.Signer(result.agency.name, result.agency.code)
    return ResultSignature(
        verdict=checked.verdict,
        signer_name=names.common_name,
        signer_organisation=names.organisation,
        signed_at=checked.signed_at or result.signed_at,
        level=result.level,
        test_certificate=any(demo_authority.TEST_MARK in part for part in subject)
        or demo_authority.TEST_MARK in result.signer,
    )
