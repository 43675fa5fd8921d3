"""What the feedback API answers: categories, petitions (masked in lists; in full, with their
history and answers, to whoever may handle them) and what a filing gives back."""

import datetime as dt
from collections.abc import Callable

from django.utils.translation import gettext
from ninja import Field, Schema

from haicap.accounts.models import User
from haicap.core import clock
from haicap.core.api import LocalDateTime
from haicap.core.masking import mask_email, mask_phone
from haicap.core.scoping import scope_of
from haicap.feedback import lifecycle, permissions, questions
from haicap.feedback.lifecycle import Action, State
from haicap.feedback.models import (
    LEVEL_LABELS,
    STATE_LABELS,
    Answer,
    Category,
    Petition,
    PetitionEvent,
)
from haicap.feedback.redaction import redact


class CategoryOut(Schema):
    code: str
    name: str
    description: str
    keywords: str
    legal_working_days: int = Field(description="the legal time to answer, from receipt")
    goes_to: Category.RoutesTo = Field(
        description="commune: the People's Committee of the commune where it happened; "
        "agency: a provincial agency"
    )
    about_dossiers: bool = Field(description="a petition may name the dossier it is about")

    @staticmethod
    def of(category: Category) -> "CategoryOut":
        return CategoryOut(
            code=category.code,
            name=category.shown_name,
            description=category.description,
            keywords=category.keywords,
            legal_working_days=category.legal_working_days,
            goes_to=category.routes_to,
            about_dossiers=category.about_dossiers,
        )


class PetitionSummary(Schema):
    code: str
    category_code: str
    category_name: str
    state: State
    state_label: str
    overdue: bool = Field(description="still open past its legal deadline")
    channel: Petition.Channel
    agency_code: str = Field(description="the agency handling it now")
    agency_name: str
    commune_code: str | None
    commune_name: str | None
    village: str
    received_at: LocalDateTime
    legal_due_at: LocalDateTime = Field(description="the legal deadline: it never moves")
    step_due_at: LocalDateTime | None = Field(description="the handler's own deadline")
    handler: str | None = Field(description="the officer in charge's username")
    sender_name: str
    sender_phone: str = Field(description="masked")
    sender_email: str = Field(description="masked")
    version: int


class PhotoOut(Schema):
    name: str
    content_type: str
    size: int
    kept_location: bool


class EventOut(Schema):
    seq: int
    kind: PetitionEvent.Kind
    label: str
    at: LocalDateTime
    actor: str = Field(description="a username, or who acted without one: the sender, the worker")
    from_agency_code: str | None
    to_agency_code: str | None
    state_after: State
    note: str


class AnswerOut(Schema):
    text: str
    public_text: str = Field(description="what is published (empty without the sender's consent)")
    answered_by: str
    agency_code: str
    answered_at: LocalDateTime
    on_time: bool = Field(description="at or before the legal deadline")
    attachments: list[str] = Field(description="the names of the papers sent with it")


class PetitionDetail(PetitionSummary):
    text: str
    place: str
    named_commune: str | None = Field(
        description="the former commune the sender named, routed to the one that replaced it"
    )
    latitude: float | None
    longitude: float | None
    dossier_code: str | None
    publish_consent: bool
    contact_in_full: bool = Field(
        description="whether the sender's contact is shown whole: only to those who may handle it"
    )
    sender_address: str
    reopened: bool
    first_answered_at: LocalDateTime | None
    answered_at: LocalDateTime | None
    closed_at: LocalDateTime | None
    photos: list[PhotoOut]
    events: list[EventOut]
    answers: list[AnswerOut]
    allowed_actions: list[str] = Field(
        description="what the caller may do now: assign, start, step-deadline, transfer, answer"
    )


class Filed(PetitionDetail):
    pin: str | None = Field(
        description="the sender's look-up PIN, given once: null when the same request was sent "
        "again"
    )


class PetitionPage(Schema):
    items: list[PetitionSummary]
    next_cursor: str | None


class PublicFiled(Schema):
    """A filing's receipt: what the sender is told, and all a repeated request is told."""

    code: str
    pin: str | None = Field(
        description="keep it: with the code it follows the petition; given once, null when "
        "the same request was sent again"
    )
    category_name: str
    agency_code: str = Field(description="who answers it")
    agency_name: str
    commune_name: str | None
    routed_from: str | None = Field(
        description="the former commune named, when it went to the commune that replaced it"
    )
    received_at: LocalDateTime
    legal_due_at: LocalDateTime = Field(description="answered by this moment, by law")


class LevelOut(Schema):
    code: str
    label: str


class QuestionOut(Schema):
    code: str
    text: str
    levels: list[LevelOut]


class RatedOut(Schema):
    satisfied: bool
    rated_at: LocalDateTime


def _overdue(petition: Petition, now: dt.datetime) -> bool:
    return petition.is_open and petition.legal_due_at < now


def _actor(event: PetitionEvent) -> str:
    if event.actor is not None:
        return event.actor.get_username()
    return event.actor_label


def summary_fields(petition: Petition, now: dt.datetime) -> dict:
    """What a list shows: the sender's contact masked whoever looks."""
    return {
        "code": petition.code,
        "category_code": petition.category.code,
        "category_name": petition.category.shown_name,
        "state": petition.state,
        "state_label": str(STATE_LABELS[State(petition.state)]),
        "overdue": _overdue(petition, now),
        "channel": petition.channel,
        "agency_code": petition.agency.code,
        "agency_name": petition.agency.name,
        "commune_code": petition.commune.code if petition.commune else None,
        "commune_name": petition.commune.full_name if petition.commune else None,
        "village": petition.village,
        "received_at": petition.received_at,
        "legal_due_at": petition.legal_due_at,
        "step_due_at": petition.step_due_at,
        "handler": petition.handler.get_username() if petition.handler else None,
        "sender_name": petition.sender_name,
        "sender_phone": mask_phone(petition.sender_phone),
        "sender_email": mask_email(petition.sender_email),
        "version": petition.version,
    }


def summary(petition: Petition, now: dt.datetime) -> PetitionSummary:
    return PetitionSummary(**summary_fields(petition, now))


def allowed_actions(user: User, petition: Petition) -> list[str]:
    """The actions ``user`` may take on ``petition`` now, as the API names them."""
    if scope_of(user).read_only:
        return []
    moves = lifecycle.allowed(State(petition.state), reopened=petition.reopened)
    handles = permissions.may_handle(user, petition)
    answers = permissions.may_answer(user, petition)
    offered = {
        "assign": Action.ASSIGN in moves and (handles or permissions.may_assign(user, petition)),
        "start": Action.START in moves and petition.handler_id == user.pk,
        "step-deadline": petition.is_open and answers,
        "transfer": Action.TRANSFER in moves and handles,
        "answer": Action.ANSWER in moves and answers,
    }
    return [name for name, ok in offered.items() if ok]


def _answer(answer: Answer, shown: Callable[[str], str]) -> AnswerOut:
    return AnswerOut(
        text=shown(answer.text),
        public_text=answer.public_text,
        answered_by=answer.answered_by.get_username(),
        agency_code=answer.agency.code,
        answered_at=answer.answered_at,
        on_time=answer.on_time,
        attachments=[a.name for a in answer.attachments.all()],
    )


def _shown_texts(petition: Petition, in_full: bool) -> Callable[[str], str]:
    """The texts typed about a petition (its own, its answers, its history's notes) as they are
    to those who see the contact in full; without the sender's details to other readers, so the
    masked contact cannot be read in them."""
    if in_full:
        return lambda text: text
    return lambda text: redact(text, petition.sender_details)


def detail_fields(petition: Petition, user: User, *, in_full: bool | None = None) -> dict:
    """A petition whole: the sender's contact in full only to those who may handle it (or
    ``in_full``: the officer who has just typed it in)."""
    now = clock.now()
    if in_full is None:
        in_full = permissions.may_handle(user, petition)
    fields = summary_fields(petition, now)
    if in_full:
        fields["sender_phone"] = petition.sender_phone
        fields["sender_email"] = petition.sender_email
    shown = _shown_texts(petition, in_full)
    return {
        **fields,
        "text": shown(petition.text),
        "place": petition.place,
        "named_commune": petition.named_unit.full_name if petition.named_unit else None,
        "latitude": float(petition.latitude) if petition.latitude is not None else None,
        "longitude": float(petition.longitude) if petition.longitude is not None else None,
        "dossier_code": petition.dossier.code if petition.dossier else None,
        "publish_consent": petition.publish_consent,
        "contact_in_full": in_full,
        "sender_address": petition.sender_address if in_full else "",
        "reopened": petition.reopened,
        "first_answered_at": petition.first_answered_at,
        "answered_at": petition.answered_at,
        "closed_at": petition.closed_at,
        "photos": [
            PhotoOut(
                name=p.name, content_type=p.content_type, size=p.size, kept_location=p.kept_location
            )
            for p in petition.photos.all()
        ],
        "events": [
            EventOut(
                seq=e.seq,
                kind=e.kind,
                label=e.get_kind_display(),
                at=e.at,
                actor=_actor(e),
                from_agency_code=e.from_agency.code if e.from_agency else None,
                to_agency_code=e.to_agency.code if e.to_agency else None,
                state_after=e.state_after,
                note=shown(e.note),
            )
            for e in petition.events.all()
        ],
        "answers": [_answer(a, shown) for a in petition.answers.all()],
        "allowed_actions": allowed_actions(user, petition),
    }


def detail(petition: Petition, user: User) -> PetitionDetail:
    return PetitionDetail(**detail_fields(petition, user))


def receipt(petition: Petition, pin: str | None) -> PublicFiled:
    """What filing answers: its code, who answers it and by when; no contact, no history, no
    answer (a repeat may come after the petition went on where its filer does not see)."""
    return PublicFiled(
        code=petition.code,
        pin=pin,
        category_name=petition.category.shown_name,
        agency_code=petition.agency.code,
        agency_name=petition.agency.name,
        commune_name=petition.commune.full_name if petition.commune else None,
        routed_from=petition.named_unit.full_name if petition.named_unit else None,
        received_at=petition.received_at,
        legal_due_at=petition.legal_due_at,
    )


def survey(subject: str) -> list[QuestionOut]:
    levels = [LevelOut(code=level.value, label=str(label)) for level, label in LEVEL_LABELS.items()]
    return [
        QuestionOut(code=q.code, text=gettext(q.text), levels=levels)
        for q in questions.questions_for(subject)
    ]
