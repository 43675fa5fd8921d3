"""``/api/v1/feedback``: petitions for the staff who handle them (their scope, the lifecycle's
moves, each with the version the caller saw), and for the public: filing a petition and rating
a returned dossier or an answered petition."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status
from ninja.throttling import BaseThrottle

from haicap.core import clock
from haicap.core.api import BODY_ERRORS, errors
from haicap.core.errors import PermissionDenied, Throttled
from haicap.core.middleware import client_ip
from haicap.core.pagination import keyset_page
from haicap.dossiers import services as dossier_services
from haicap.dossiers.api.inputs import IdempotencyKey
from haicap.feedback import api_inputs as inputs
from haicap.feedback import api_outputs as out
from haicap.feedback import codes, permissions, selectors
from haicap.feedback.models import Petition
from haicap.feedback.services import filing, handling, lookup, ratings, remote_filing

router = Router(tags=["feedback"])
public_router = Router(tags=["feedback (public)"], auth=None)

ACTION_ERRORS = errors(401, 403, 404, 409, *BODY_ERRORS)


def _photos(body: inputs.PetitionIn) -> list[filing.Photo]:
    return [photo.photo() for photo in body.photos]


def _petition_arguments(body: inputs.PetitionIn) -> dict:
    commune, named = inputs.place(body)
    return {
        "category": inputs.category(body.category_code),
        "text": body.text,
        "sender": body.sender.sender(),
        "place": body.place,
        "commune": commune,
        "named_unit": named,
        "village": body.village,
        "dossier_code": body.dossier_code,
        "latitude": body.latitude,
        "longitude": body.longitude,
        "publish_consent": body.publish_consent,
        "photos_sent": _photos(body),
    }


# --- staff ---------------------------------------------------------------------------------


@router.get(
    "/feedback/categories",
    response={200: list[out.CategoryOut], **errors(401)},
    summary="The categories a petition is filed under",
)
def list_categories(request: HttpRequest) -> list[out.CategoryOut]:
    return [out.CategoryOut.of(c) for c in selectors.offered_categories()]


@router.get(
    "/feedback/petitions",
    response={200: out.PetitionPage, **errors(401, 422)},
    summary="Petitions the caller may see (the sender's contact masked)",
)
def list_petitions(
    request: HttpRequest, filters: Query[inputs.PetitionFilters]
) -> out.PetitionPage:
    now = clock.now()
    petitions = selectors.petition_list(
        request.user,
        state=filters.state,
        overdue=filters.overdue,
        category=filters.category,
        commune=filters.commune,
        now=now,
    )
    page = keyset_page(petitions, ("-received_at", "-id"), filters.cursor, filters.limit)
    return out.PetitionPage(
        items=[out.summary(p, now) for p in page.items], next_cursor=page.next_cursor
    )


@router.get(
    "/feedback/petitions/{code}",
    response={200: out.PetitionDetail, **errors(401, 404, 422)},
    summary="One petition with its history and answers",
    description="The sender's contact is shown whole only to those who may handle it.",
)
def get_petition(request: HttpRequest, code: str) -> out.PetitionDetail:
    return out.detail(selectors.petition_of(request.user, code), request.user)


@router.post(
    "/feedback/petitions",
    response={201: out.Filed, 200: out.PublicFiled, **errors(401, 403, *BODY_ERRORS)},
    summary="File a petition on a sender's behalf (channel api)",
    description=(
        "201 with the petition and the sender's PIN, given once. With an `Idempotency-Key`, a "
        "retry of the same request files nothing more and answers 200 with the first petition's "
        "receipt (code, agency, deadline; its PIN null): what it has become since is read "
        "through `GET`, within the caller's scope. The key sent with another request is 422 "
        "`idempotency_key_reused`."
    ),
)
def file_petition(
    request: HttpRequest, body: inputs.PetitionIn, idempotency_key: str | None = IdempotencyKey
) -> Status:
    user = request.user
    if not permissions.may_file_for_sender(user):
        raise PermissionDenied(_("Only an officer of an agency files a petition for a sender."))
    filed = remote_filing.file_once(
        scope=f"user:{user.pk}",
        key=idempotency_key or "",
        channel=Petition.Channel.API,
        filed_by=user,
        **_petition_arguments(body),
    )
    if filed.again:
        # Only what the first answer said: the petition may since have gone on (answers,
        # history) in a body the officer does not see.
        return Status(200, out.receipt(filed.petition, pin=None))
    # The officer typed it all in: they see it whole, even when it went to another body.
    fields = out.detail_fields(filed.petition, user, in_full=True)
    return Status(201, out.Filed(**fields, pin=filed.pin))


def _acted(request: HttpRequest, petition: Petition) -> out.PetitionDetail:
    return out.detail(selectors.petition_of(request.user, petition.code), request.user)


@router.post(
    "/feedback/petitions/{code}/assign",
    response={200: out.PetitionDetail, **ACTION_ERRORS},
    summary="Name the officer in charge (a leader names anyone of the body; an officer takes it)",
)
def assign(request: HttpRequest, code: str, body: inputs.AssignIn) -> out.PetitionDetail:
    handler = inputs.officer(request.user, body.handler)
    return _acted(request, handling.assign(request.user, code, handler, version=body.version))


@router.post(
    "/feedback/petitions/{code}/start",
    response={200: out.PetitionDetail, **ACTION_ERRORS},
    summary="The officer in charge begins work on it",
)
def start(request: HttpRequest, code: str, body: inputs.VersionIn) -> out.PetitionDetail:
    return _acted(request, handling.start(request.user, code, version=body.version))


@router.post(
    "/feedback/petitions/{code}/step-deadline",
    response={200: out.PetitionDetail, **ACTION_ERRORS},
    summary="Set the handler's own deadline for the step at hand (the legal one never moves)",
)
def step_deadline(
    request: HttpRequest, code: str, body: inputs.StepDeadlineIn
) -> out.PetitionDetail:
    petition = handling.set_step_deadline(request.user, code, body.due_at, version=body.version)
    return _acted(request, petition)


@router.post(
    "/feedback/petitions/{code}/transfer",
    response={200: out.PetitionDetail, **ACTION_ERRORS},
    summary="Send it to the competent agency, with the reason (same legal deadline)",
)
def transfer(request: HttpRequest, code: str, body: inputs.TransferIn) -> out.PetitionDetail:
    to = inputs.target_agency(body.agency_code)
    petition = handling.transfer(request.user, code, to, body.reason, version=body.version)
    return _acted(request, petition)


@router.post(
    "/feedback/petitions/{code}/answer",
    response={200: out.PetitionDetail, **ACTION_ERRORS},
    summary="Answer the sender (published without personal data when they agreed)",
)
def answer(request: HttpRequest, code: str, body: inputs.AnswerIn) -> out.PetitionDetail:
    handling.answer(
        request.user, code, body.text, public_text=body.public_text, version=body.version
    )
    return out.detail(selectors.petition_of(request.user, code), request.user)


# --- the public ----------------------------------------------------------------------------


class PetitionAttempts(BaseThrottle):
    """Counts every public filing from an address before its body is read (ninja runs
    throttles first), so a malformed filing counts as much as a good one; the contact is
    counted once the body names it."""

    def allow_request(self, request: HttpRequest) -> bool:
        try:
            filing.count_attempt(client_ip(request))
        except Throttled:
            return False
        return True


@public_router.get(
    "/public/feedback/categories",
    auth=None,
    response={200: list[out.CategoryOut]},
    summary="The categories a petition is filed under",
)
def public_categories(request: HttpRequest) -> list[out.CategoryOut]:
    return [out.CategoryOut.of(c) for c in selectors.offered_categories()]


@public_router.post(
    "/public/feedback/petitions",
    auth=None,
    throttle=PetitionAttempts(),
    response={201: out.PublicFiled, 200: out.PublicFiled, **errors(*BODY_ERRORS, 429)},
    summary="A citizen files a petition",
    description=(
        "201 with its code and PIN, given once. With an `Idempotency-Key` (or `client_token`), "
        "a repeat of the same request files nothing more and answers 200 with the same "
        "petition, its PIN null; the key sent with another request is 422 "
        "`idempotency_key_reused`. Filings are counted per address and per contact."
    ),
)
def public_file_petition(
    request: HttpRequest,
    body: inputs.PublicPetitionIn,
    idempotency_key: str | None = IdempotencyKey,
) -> Status:
    sender = body.sender.sender()
    filing.count_attempt(None, sender.phone, sender.email)
    filed = remote_filing.file_once(
        scope=remote_filing.public_scope(sender),
        key=idempotency_key or body.client_token,
        channel=Petition.Channel.API,
        **_petition_arguments(body),
    )
    return Status(200 if filed.again else 201, out.receipt(filed.petition, filed.pin or None))


@public_router.get(
    "/public/feedback/survey",
    auth=None,
    response={200: list[out.QuestionOut], **errors(422)},
    summary="The satisfaction survey's questions for a dossier or a petition",
)
def survey(request: HttpRequest, query: Query[inputs.SurveyQuery]) -> list[out.QuestionOut]:
    return out.survey(query.subject)


@public_router.post(
    "/public/feedback/ratings",
    auth=None,
    response={201: out.RatedOut, **errors(404, 409, *BODY_ERRORS, 429)},
    summary="Rate a returned dossier or an answered petition, with its code and PIN",
    description=(
        "Once each. A wrong code and a wrong PIN are the same 404, and too many wait a while "
        "(429), as in the look-up. The PIN goes in the body, never in the address."
    ),
)
def rate(request: HttpRequest, body: inputs.RatingIn) -> Status:
    code, ip = body.code.strip(), client_ip(request)
    if codes.looks_like_code(code):
        petition = lookup.look_up(code, body.pin, ip)
        rating = ratings.rate_petition(petition, dict(body.answers), body.comment)
    else:
        dossier = dossier_services.look_up(code, body.pin, ip)
        rating = ratings.rate_dossier(dossier, dict(body.answers), body.comment)
    return Status(201, out.RatedOut(satisfied=rating.satisfied, rated_at=rating.rated_at))
