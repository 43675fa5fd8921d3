"""Reads of the feedback app. The public site's reads come first: the offered categories, a
petition as its sender follows it, and the answered petitions their senders agreed to publish.
Nobody signs in there, so these read the public facts or what a code and PIN opened; the
desk's reads start from ``Petition.objects.restrict(user)``."""

from django.db.models import Prefetch, QuerySet

from haicap.dossiers.models import Dossier
from haicap.feedback.lifecycle import State
from haicap.feedback.models import (
    Answer,
    AnswerAttachment,
    Category,
    Petition,
    PetitionEvent,
    Rating,
)
from haicap.units.models import AdministrativeUnit

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


def offered_categories() -> QuerySet[Category]:
    return Category.objects.filter(active=True).order_by("position", "code")


def public_categories() -> QuerySet[Category]:
    """Every category, offered or not: an answered petition keeps the one it was filed under."""
    return Category.objects.order_by("position", "code")


def unit_by_id(unit_id: int) -> AdministrativeUnit | None:
    """A commune or ward, current or former (public facts), with its former district."""
    return (
        AdministrativeUnit.objects.select_related("parent")
        .filter(pk=unit_id, tier="commune")
        .first()
    )


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


def answers_of(petition: Petition) -> list[Answer]:
    """The answers sent to the sender, with their attachments, oldest first."""
    attachments = Prefetch("attachments", queryset=AnswerAttachment.objects.order_by("pk"))
    return list(
        petition.answers.select_related("agency")
        .prefetch_related(attachments)
        .order_by("answered_at", "pk")
    )


def answer_attachment(attachment_id: int) -> AnswerAttachment | None:
    return (
        AnswerAttachment.objects.select_related("answer__petition").filter(pk=attachment_id).first()
    )


def is_rated(petition: Petition) -> bool:
    return Rating.objects.filter(petition=petition).exists()


def _published() -> QuerySet[Petition]:
    """Answered petitions whose senders agreed to publication."""
    return Petition.objects.filter(
        publish_consent=True, state__in=PUBLISHED_STATES, answered_at__isnull=False
    )


def published_answers() -> Prefetch:
    answers = Answer.objects.exclude(public_text="").select_related("agency")
    return Prefetch("answers", queryset=answers.order_by("answered_at", "pk"), to_attr="published")


def published_petitions(category_code: str = "", commune_code: str = "") -> QuerySet[Petition]:
    """The published petitions, the latest answered first."""
    petitions = _published()
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
        _published()
        .select_related("category", "commune")
        .prefetch_related(published_answers())
        .filter(code=code)
        .first()
    )
