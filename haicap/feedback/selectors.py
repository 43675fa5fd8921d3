"""Reads of petitions and their categories. Staff read through ``Petition.objects.restrict``;
the public reads only what a sender agreed to publish (``published_petitions``)."""

import datetime as dt

from django.db.models import Max, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from haicap.accounts.models import User
from haicap.core import clock
from haicap.core.errors import NotFound
from haicap.feedback.lifecycle import OPEN_STATES
from haicap.feedback.models import Answer, Category, Petition, PetitionEvent
from haicap.units.kinds import Tier
from haicap.units.models import AdministrativeUnit, Agency

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


def petition_list(
    user: User,
    *,
    state: str | None = None,
    overdue: bool | None = None,
    category: str | None = None,
    commune: str | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[Petition]:
    """The petitions ``user`` may see, filtered. Overdue: still open past its legal deadline."""
    petitions = visible_petitions(user).select_related("category", "agency", "commune", "handler")
    if state:
        petitions = petitions.filter(state=state)
    if overdue is not None:
        late = Q(state__in=[s.value for s in OPEN_STATES], legal_due_at__lt=now or clock.now())
        petitions = petitions.filter(late) if overdue else petitions.exclude(late)
    if category:
        petitions = petitions.filter(category__code=category)
    if commune:
        petitions = petitions.filter(commune__code=commune)
    return petitions


def petition_of(user: User, code: str) -> Petition:
    """One petition ``user`` may see, with what its page shows; ``NotFound`` otherwise (one out
    of scope is as unknown as one that does not exist)."""
    petition = (
        visible_petitions(user)
        .select_related("category", "agency__unit", "commune", "named_unit", "handler", "dossier")
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


def transfer_target(code: str) -> Agency | None:
    """A current agency a petition may be sent to, by its code: any agency in force that
    answers (not a one-stop desk), in the province or in any commune."""
    return (
        Agency.objects.filter(code=code, unit__valid_to__isnull=True, is_one_stop_desk=False)
        .select_related("unit")
        .first()
    )


def commune_in_force(code: str) -> AdministrativeUnit | None:
    return AdministrativeUnit.objects.filter(
        code=code, tier=Tier.COMMUNE, valid_to__isnull=True
    ).first()


def communes_in_force() -> QuerySet[AdministrativeUnit]:
    return AdministrativeUnit.objects.filter(tier=Tier.COMMUNE, valid_to__isnull=True).order_by(
        "search_name", "pk"
    )


def former_communes() -> QuerySet[AdministrativeUnit]:
    """The communes, wards and townships abolished by a merger (a sender may still name one)."""
    return (
        AdministrativeUnit.objects.filter(tier=Tier.COMMUNE, valid_to__isnull=False)
        .select_related("parent")
        .order_by("search_name", "pk")
    )


def former_commune(pk: int) -> AdministrativeUnit | None:
    return former_communes().filter(pk=pk).first()


def published_petitions() -> QuerySet[Petition]:
    """The petitions whose sender agreed to publication, newest first, each with the moment it
    last changed in public view (``updated_at``) and its answers in order."""
    return (
        Petition.objects.filter(publish_consent=True)
        .select_related("category", "agency", "commune")
        .annotate(
            updated_at=Max("events__at", filter=~Q(events__kind__in=INTERNAL_EVENTS)),
        )
        .prefetch_related(
            Prefetch("answers", queryset=Answer.objects.order_by("answered_at", "pk"))
        )
        .order_by("-received_at", "-pk")
    )
