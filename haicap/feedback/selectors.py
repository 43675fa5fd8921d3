"""Reads of petitions, their categories and the feedback figures. Staff read through
``Petition.objects.restrict`` (ratings through ``Rating.objects.restrict``);
the public reads only the answers a sender agreed to publish (``published_petitions``)."""

import datetime as dt
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Max, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from haicap.accounts.models import Membership, RoleChoices, User
from haicap.catalog.models import Field, Procedure
from haicap.core import clock
from haicap.core.collation import vietnamese_key
from haicap.core.errors import NotFound
from haicap.core.restricted import Viewer
from haicap.core.scoping import Scope, acting_body, scope_of
from haicap.dossiers.models import Dossier
from haicap.feedback import tallies
from haicap.feedback.figures import PetitionCounts, SatisfactionCounts
from haicap.feedback.lifecycle import OPEN_STATES, State
from haicap.feedback.models import (
    Answer,
    AnswerAttachment,
    Category,
    Petition,
    PetitionEvent,
    PetitionPhoto,
    Rating,
)
from haicap.feedback.permissions import HANDLERS
from haicap.feedback.services.handling import TRANSFER_TARGETS, body_staff
from haicap.units.kinds import Tier
from haicap.units.models import AdministrativeUnit, Agency
from haicap.units.selectors import public_communes

# --- the API and Open311 -------------------------------------------------------------------

# Events the public does not learn of: the worker's own warnings inside the agency.
INTERNAL_EVENTS = (PetitionEvent.Kind.WARNED, PetitionEvent.Kind.ESCALATED)


def offered_categories() -> QuerySet[Category]:
    """The categories a petition may be filed under (public facts)."""
    return Category.objects.filter(active=True).order_by("position", "code")


def offered_category(code: str) -> Category | None:
    return offered_categories().filter(code=code).first()


def visible_petitions(user: User) -> QuerySet[Petition]:
    return Petition.objects.restrict(user)


def _late(now: dt.datetime) -> Q:
    """Overdue: still open past its legal deadline."""
    return Q(state__in=[s.value for s in OPEN_STATES], legal_due_at__lt=now)


def _filtered(
    petitions: QuerySet[Petition],
    *,
    state: str | None,
    overdue: bool | None,
    category: Q,
    commune: Q,
    now: dt.datetime,
) -> QuerySet[Petition]:
    """The API's and the desk's filters: ``overdue`` None for either, False for on time."""
    if state:
        petitions = petitions.filter(state=state)
    if overdue is not None:
        petitions = petitions.filter(_late(now)) if overdue else petitions.exclude(_late(now))
    return petitions.filter(category, commune)


def petition_list(
    user: User,
    *,
    state: str | None = None,
    overdue: bool | None = None,
    category: str | None = None,
    commune: str | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[Petition]:
    """The petitions ``user`` may see, filtered (categories and communes by their codes)."""
    return _filtered(
        visible_petitions(user).select_related("category", "agency", "commune", "handler"),
        state=state,
        overdue=overdue,
        category=Q(category__code=category) if category else Q(),
        commune=Q(commune__code=commune) if commune else Q(),
        now=now or clock.now(),
    )


def petition_of(user: Viewer, code: str) -> Petition:
    """One petition ``user`` may see, with what its page shows; ``NotFound`` otherwise (one out
    of scope is as unknown as one that does not exist)."""
    petition = (
        visible_petitions(user)
        .select_related(
            "category", "agency__unit", "commune", "named_unit", "handler", "filed_by", "dossier"
        )
        .prefetch_related(
            Prefetch(
                "events",
                queryset=PetitionEvent.objects.select_related(
                    "actor", "from_agency", "to_agency"
                ).order_by("seq"),
            ),
            Prefetch(
                "answers",
                queryset=Answer.objects.select_related("answered_by", "agency")
                .prefetch_related("attachments")
                .order_by("answered_at", "pk"),
            ),
            "photos",
        )
        .filter(code=code)
        .first()
    )
    if petition is None:
        raise NotFound(_("No petition has this code."))
    return petition


def transfer_agencies() -> QuerySet[Agency]:
    """Where any petition may be transferred (``handling.TRANSFER_TARGETS``). Agencies are
    public facts: this needs no reader's scope."""
    return Agency.objects.filter(TRANSFER_TARGETS).select_related("unit")


def transfer_target(code: str) -> Agency | None:
    """An agency a petition may be transferred to, by its code."""
    return transfer_agencies().filter(code=code).first()


def commune_in_force(code: str) -> AdministrativeUnit | None:
    return public_communes().filter(code=code).first()


def published_petitions() -> QuerySet[Petition]:
    """What the public reads of petitions, on the public pages and in Open311 alike: the
    answered or closed ones whose sender agreed to publication. The sender consented to
    publishing the answer, so nothing is published before there is one (an open or reopened
    petition is the sender's and the agency's business)."""
    return Petition.objects.filter(
        publish_consent=True, state__in=PUBLISHED_STATES, answered_at__isnull=False
    )


def published_requests() -> QuerySet[Petition]:
    """The published petitions as Open311 lists them, newest first, each with the moment it
    last changed in public view (``updated_at``) and its answers in order."""
    return (
        published_petitions()
        .select_related("category", "agency", "commune")
        .annotate(
            updated_at=Max("events__at", filter=~Q(events__kind__in=INTERNAL_EVENTS)),
        )
        .prefetch_related(
            Prefetch("answers", queryset=Answer.objects.order_by("answered_at", "pk"))
        )
        .order_by("-received_at", "-pk")
    )


# --- the desk's queue and one petition ----------------------------------------------------------


@dataclass(frozen=True)
class QueueFilters:
    state: str = ""
    overdue: bool = False
    mine: bool = False
    category: Category | None = None
    commune: AdministrativeUnit | None = None
    transferred: bool = False  # those the user's bodies held and sent on, instead


def held_by_own_bodies(scope: Scope) -> Q:
    """A petition held now by one of the bodies ``scope`` works for (a commune's as one)."""
    return Q(agency__unit_id__in=sorted(scope.communes)) | Q(
        agency_id__in=sorted(scope.provincial_agencies)
    )


def petition_queue(user: User, filters: QueueFilters, now: dt.datetime) -> QuerySet[Petition]:
    """The petitions ``user`` sees, open ones first, each by its legal deadline (the nearest
    first); then the answered and closed, the most recently received first. A staff member's
    queue holds what their bodies hold now; ``transferred``, what they held and sent on. A
    province-wide reader's holds every petition."""
    rows = _filtered(
        visible_petitions(user).select_related("category", "commune", "agency__unit", "handler"),
        state=filters.state,
        overdue=True if filters.overdue else None,
        category=Q(category=filters.category) if filters.category is not None else Q(),
        commune=Q(commune=filters.commune) if filters.commune is not None else Q(),
        now=now,
    )
    if filters.mine:
        rows = rows.filter(handler_id=user.pk)
    scope = scope_of(user)
    if not scope.province_wide:
        here = held_by_own_bodies(scope)
        rows = rows.exclude(here) if filters.transferred else rows.filter(here)
    is_open = Case(
        When(state__in=[s.value for s in OPEN_STATES], then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    # open: by legal deadline; the rest: newest first (a far-past deadline sorts early)
    due_order = Case(
        When(state__in=[s.value for s in OPEN_STATES], then="legal_due_at"),
        default=None,
    )
    return rows.annotate(closed_last=is_open, open_due=due_order).order_by(
        "closed_last", "open_due", "-received_at", "-pk"
    )


def history(petition: Petition) -> list[PetitionEvent]:
    """Its events, oldest first, with the agencies they name."""
    return list(petition.events.select_related("actor", "from_agency", "to_agency").order_by("seq"))


def answers_of(petition: Petition) -> list[Answer]:
    """The answers sent to the sender, with their attachments, oldest first."""
    attachments = Prefetch("attachments", queryset=AnswerAttachment.objects.order_by("pk"))
    # read afresh: ``petition_of`` may have prefetched its answers already
    return list(
        Answer.objects.filter(petition=petition)
        .select_related("answered_by", "agency")
        .prefetch_related(attachments)
        .order_by("answered_at", "pk")
    )


def photo_of(user: Viewer, code: str, photo_id: int) -> PetitionPhoto:
    """A photo of a petition ``user`` sees (404 otherwise, as for the petition)."""
    photo = petition_of(user, code).photos.filter(pk=photo_id).first()
    if photo is None:
        raise NotFound()
    return photo


def attachment_of(user: Viewer, code: str, attachment_id: int) -> AnswerAttachment:
    """A file sent with an answer to a petition ``user`` sees (404 otherwise)."""
    petition = petition_of(user, code)
    found = AnswerAttachment.objects.filter(answer__petition=petition, pk=attachment_id).first()
    if found is None:
        raise NotFound()
    return found


def sees_dossier(user: Viewer, dossier_id: int | None) -> bool:
    return dossier_id is not None and Dossier.objects.restrict(user).filter(pk=dossier_id).exists()


def routing_note(petition: Petition) -> str:
    """What filing wrote when it followed a former commune to its successor."""
    received = petition.events.filter(kind=PetitionEvent.Kind.RECEIVED).order_by("seq").first()
    return received.note if received else ""


# --- what the forms offer -----------------------------------------------------------------------


def officers_of(petition: Petition) -> list[User]:
    """The officers of the body holding the petition, who may be put in charge of it."""
    staff = body_staff(petition.agency, [role.value for role in HANDLERS])
    return sorted(staff, key=lambda u: vietnamese_key(str(u)))


def transfer_targets(petition: Petition) -> list[Agency]:
    """Where this petition may be sent (``transfer_agencies``), never to the body holding it
    now, the provincial agencies first."""
    agency = petition.agency
    here = Q(unit_id=agency.unit_id) if agency.unit.tier == Tier.COMMUNE else Q(pk=agency.pk)
    found = transfer_agencies().exclude(here)
    return sorted(
        found, key=lambda a: (a.unit.tier != Tier.PROVINCE, vietnamese_key(a.unit.name), a.name)
    )


def categories() -> QuerySet[Category]:
    """Every category, offered or not: a petition keeps the one it was filed under."""
    return Category.objects.order_by("position", "code")


def former_communes() -> list[AdministrativeUnit]:
    """The communes, wards and townships abolished by the mergers (a sender may still name
    one), by their former district, as senders name them."""
    units = AdministrativeUnit.objects.filter(
        tier=Tier.COMMUNE, valid_to__isnull=False
    ).select_related("parent")
    return sorted(
        units,
        key=lambda u: (
            vietnamese_key(u.parent.name if u.parent else ""),
            vietnamese_key(u.name),
            u.pk,
        ),
    )


# --- the public pages ---------------------------------------------------------------------------
# The steps of a petition its sender is told of; the others (step deadlines, warnings,
# escalations) are the agency's own business.
PUBLIC_STEPS = (
    PetitionEvent.Kind.RECEIVED,
    PetitionEvent.Kind.ASSIGNED,
    PetitionEvent.Kind.STARTED,
    PetitionEvent.Kind.TRANSFERRED,
    PetitionEvent.Kind.ANSWERED,
    PetitionEvent.Kind.REOPENED,
    PetitionEvent.Kind.ACCEPTED,
    PetitionEvent.Kind.CLOSED,
)
PUBLISHED_STATES = (State.ANSWERED, State.CLOSED)


def unit_by_id(unit_id: int, *, former: bool = False) -> AdministrativeUnit | None:
    """A commune or ward, current or (``former``: only) abolished by a merger (public facts),
    with its former district."""
    units = AdministrativeUnit.objects.select_related("parent").filter(
        pk=unit_id, tier=Tier.COMMUNE
    )
    return (units.filter(valid_to__isnull=False) if former else units).first()


def dossier_exists(code: str) -> bool:
    return Dossier.objects.filter(code=code.strip()).exists()


def petition_filed_with(nonce: str) -> Petition | None:
    """The petition a form's one-time token already filed, if any."""
    return Petition.objects.filter(filing_token=nonce).first()


def _with_places(petitions: QuerySet[Petition]) -> QuerySet[Petition]:
    return petitions.select_related("category", "agency__unit", "commune", "named_unit__parent")


def filed_petition(code: str) -> Petition | None:
    """A petition by its code, for its sender's confirmation and look-up (the caller has
    checked that this browser filed it or proved its PIN)."""
    return _with_places(Petition.objects.all()).filter(code=code).first()


def public_steps(petition: Petition) -> list[PetitionEvent]:
    """The steps its sender is told of, oldest first; the officers are not named."""
    events = petition.events.filter(kind__in=PUBLIC_STEPS).select_related(
        "from_agency", "to_agency"
    )
    return list(events.order_by("seq"))


def answer_attachment(attachment_id: int) -> AnswerAttachment | None:
    return (
        AnswerAttachment.objects.select_related("answer__petition").filter(pk=attachment_id).first()
    )


def is_rated(petition: Petition) -> bool:
    return Rating.objects.filter(petition=petition).exists()


def published_answers() -> Prefetch:
    answers = Answer.objects.exclude(public_text="").select_related("agency")
    return Prefetch("answers", queryset=answers.order_by("answered_at", "pk"), to_attr="published")


def published_list(category_code: str = "", commune_code: str = "") -> QuerySet[Petition]:
    """The published petitions, the latest answered first."""
    petitions = published_petitions()
    if category_code:
        petitions = petitions.filter(category__code=category_code)
    if commune_code:
        petitions = petitions.filter(commune__code=commune_code, commune__valid_to__isnull=True)
    return (
        petitions.select_related("category", "commune")
        .prefetch_related(published_answers())
        .order_by("-answered_at", "-pk")
    )


def published_petition(code: str) -> Petition | None:
    return (
        published_petitions()
        .select_related("category", "commune")
        .prefetch_related(published_answers())
        .filter(code=code)
        .first()
    )


# --- satisfaction with dossiers -----------------------------------------------------------------


def dossier_rated(dossier: Dossier) -> bool:
    """Whether the dossier's applicant has rated it (asked once its PIN or token is proved)."""
    return Rating.objects.filter(dossier=dossier).exists()


# --- the figures page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One row of the figures: what it is about (a name, and a key to tell rows apart) and its
    counts."""

    key: Hashable
    name: str
    counts: PetitionCounts | SatisfactionCounts


@dataclass(frozen=True)
class SatisfactionFigures:
    by_agency: list[Line]
    by_unit: list[Line]
    by_field: list[Line]
    by_procedure: list[Line]
    total: SatisfactionCounts


@dataclass(frozen=True)
class PetitionFigures:
    by_place: list[Line]  # a commune (its bodies together) or a provincial agency
    by_category: list[Line]
    total: PetitionCounts


def _lines(counts: Mapping[Hashable, object], names: Mapping[Hashable, str]) -> list[Line]:
    lines = [Line(key, names.get(key, ""), found) for key, found in counts.items()]
    return sorted(lines, key=lambda line: vietnamese_key(line.name))


def _unit_names(ids: set) -> dict[int, str]:
    return {u.pk: u.full_name for u in AdministrativeUnit.objects.filter(pk__in=ids)}


def satisfaction_figures(user: Viewer, first: dt.date, last: dt.date) -> SatisfactionFigures | None:
    """The ratings the user may read, given from ``first`` to ``last`` (up to now), by agency,
    unit, field and procedure: four queries, and three for the names. ``None`` before the
    period begins."""
    moments = tallies.moments(first, last)
    if moments is None:
        return None
    ratings = Rating.objects.restrict(user)
    by_agency = tallies.count_ratings(ratings, *moments, "agency_id")
    by_unit = tallies.count_ratings(ratings, *moments, "unit_id")
    # a petition's rating has no field nor procedure: those two tables are of dossiers only
    of_dossiers = ratings.filter(petition__isnull=True)
    by_field = tallies.count_ratings(of_dossiers, *moments, "field_code")
    by_procedure = tallies.count_ratings(of_dossiers, *moments, "procedure_id")
    agencies = dict(Agency.objects.filter(pk__in=set(by_agency)).values_list("pk", "name"))
    fields = dict(Field.objects.filter(code__in=set(by_field)).values_list("code", "name"))
    procedures = {
        pk: f"{name} ({code})"
        for pk, name, code in Procedure.objects.filter(pk__in=set(by_procedure)).values_list(
            "pk", "name", "national_code"
        )
    }
    return SatisfactionFigures(
        by_agency=_lines(by_agency, agencies),
        by_unit=_lines(by_unit, _unit_names(set(by_unit))),
        by_field=_lines(by_field, fields),
        by_procedure=_lines(by_procedure, procedures),
        total=sum(by_agency.values(), SatisfactionCounts()),
    )


def petition_figures(user: Viewer, first: dt.date, last: dt.date) -> PetitionFigures | None:
    """The petitions the user may read, counted for ``first`` to ``last`` (up to now), by the
    body that answers for each count (``tallies``: a commune's bodies together, as they act as
    one; a provincial agency on its own) and by category: five queries, and three for the
    names. ``None`` before the period begins."""
    moments = tallies.moments(first, last)
    if moments is None:
        return None
    petitions = Petition.objects.restrict(user)
    by_agency = tallies.count_petitions(petitions, *moments, tallies.AGENCY)
    by_category = tallies.count_petitions(petitions, *moments, "category_id")
    agencies = Agency.objects.filter(pk__in=set(by_agency)).select_related("unit")
    places: dict[tuple[str, int], PetitionCounts] = {}
    names: dict[tuple[str, int], str] = {}
    for agency in agencies:
        if agency.unit.tier == Tier.COMMUNE:
            place = ("unit", agency.unit_id)
            names[place] = agency.unit.full_name
        else:
            place = ("agency", agency.pk)
            names[place] = agency.name
        places[place] = places.get(place, PetitionCounts()) + by_agency[agency.pk]
    categories = dict(Category.objects.filter(pk__in=set(by_category)).values_list("pk", "name"))
    return PetitionFigures(
        by_place=_lines({k: c for k, c in places.items() if not c.empty}, names),
        by_category=_lines({k: c for k, c in by_category.items() if not c.empty}, categories),
        total=sum(by_category.values(), PetitionCounts()),
    )


# --- the assign form's officers, each with their roles ------------------------------------------


def officer_roles(petition: Petition, officers: Sequence[User]) -> dict[int, list[str]]:
    """The roles each of ``officers`` holds in the body holding the petition, in the order of
    ``RoleChoices`` and in the reader's language: one query."""
    agency = petition.agency
    body = acting_body(agency.pk, agency.unit_id, agency.unit.tier)
    held = set(
        Membership.objects.filter(
            user_id__in=[o.pk for o in officers],
            role__in=[role.value for role in HANDLERS],
            **body.lookups("agency__"),
        ).values_list("user_id", "role")
    )
    return {
        officer.pk: [str(name) for role, name in RoleChoices.choices if (officer.pk, role) in held]
        for officer in officers
    }
