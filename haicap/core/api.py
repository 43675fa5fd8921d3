"""The API's shared conventions: errors as ``application/problem+json`` (RFC 9457).

Every error has a stable ``code`` a client can branch on and a ``detail`` in the request's
language. ``errors(...)`` declares the error responses of an operation so that the OpenAPI
document lists them.
"""

import datetime as dt
import logging
from typing import Annotated, Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404, HttpRequest, HttpResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from pydantic import AfterValidator

from haicap.core import moments, validation_messages
from haicap.core.characters import first_unacceptable
from haicap.core.errors import BodyTooLarge, DomainError, MalformedBody
from haicap.core.validators import describe

PROBLEM_CONTENT_TYPE = "application/problem+json"

# A row id as the API accepts it: positive and within a 64-bit column.
RecordId = Annotated[int, Field(ge=1, le=2**63 - 1)]


def _in_local_time(moment: dt.datetime) -> dt.datetime:
    return moments.writable(timezone.localtime(moment) if timezone.is_aware(moment) else moment)


# A moment as the API writes it: in Vietnam's offset (+07:00), whatever zone it was read in.
LocalDateTime = Annotated[dt.datetime, AfterValidator(_in_local_time)]


def _assume_vietnam(moment: dt.datetime) -> dt.datetime:
    try:
        aware = moment if timezone.is_aware(moment) else timezone.make_aware(moment)
        # the same instant in UTC: PostgreSQL refuses an offset beyond ±15:59 (-23:25 was a 500)
        return moments.check_moment(aware).astimezone(dt.UTC)
    except (moments.OutOfRange, OverflowError) as error:
        raise ValueError(
            _("Give a moment from %(first)s to %(last)s.")
            % {"first": moments.FIRST_DAY.isoformat(), "last": moments.LAST_DAY.isoformat()}
        ) from error


# A moment as the API reads it: without an offset it is Vietnam time (the project's time zone),
# and it lies in the span of ``moments`` (outside it is a 422, not an overflow further in).
VietnamDateTime = Annotated[dt.datetime, AfterValidator(_assume_vietnam)]


def _refuse_unacceptable(multiline: bool) -> Any:
    def check(text: str) -> str:
        if found := first_unacceptable(text, multiline):
            raise ValueError(describe(found))
        return text

    return AfterValidator(check)


# Text the API stores: no control characters, unpaired surrogates or noncharacters
# (``haicap.core.characters``); a multi-line text (a note) may hold tabs and line breaks.
SingleLine = Annotated[str, _refuse_unacceptable(multiline=False)]
MultiLine = Annotated[str, _refuse_unacceptable(multiline=True)]


def _day_in_span(day: dt.date) -> dt.date:
    try:
        return moments.check_day(day)
    except moments.OutOfRange as error:
        raise ValueError(
            _("Give a day from %(first)s to %(last)s.")
            % {"first": moments.FIRST_DAY.isoformat(), "last": moments.LAST_DAY.isoformat()}
        ) from error


# A day as the API reads it, in the same span.
Day = Annotated[dt.date, AfterValidator(_day_in_span)]

logger = logging.getLogger(__name__)


class Problem(Schema):
    type: str = "about:blank"
    title: str
    status: int
    code: str
    detail: str
    instance: str | None = None
    errors: list[dict[str, Any]] | None = None


def errors(*statuses: int) -> dict[int, type[Problem]]:
    return dict.fromkeys(statuses, Problem)


# What any operation that reads a body can answer besides its own errors: a body that cannot
# be parsed (400), one too large (413), and fields that do not fit the schema (422).
BODY_ERRORS = (400, 413, 422)


class HaicapAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        schema = super().get_openapi_schema(*args, **kwargs)
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        content[PROBLEM_CONTENT_TYPE] = content.pop("application/json")
        return schema


def problem_response(
    request: HttpRequest,
    status: int,
    code: str,
    title: str,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    body = Problem(
        title=str(title),
        status=status,
        code=code,
        detail=str(detail),
        instance=request.path,
        errors=errors,
    )
    response = HttpResponse(
        body.model_dump_json(exclude_none=True), status=status, content_type=PROBLEM_CONTENT_TYPE
    )
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="haicap"'
    return response


def domain_problem(request: HttpRequest, error: DomainError) -> HttpResponse:
    return problem_response(request, error.status, error.code, str(error.title), error.detail)


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return domain_problem(request, exc)

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        details = validation_messages.readable_errors(exc.errors)
        return problem_response(
            request,
            422,
            "validation_error",
            _("The input is not valid"),
            validation_messages.summary(details),
            errors=details,
        )

    @api.exception_handler(AuthenticationError)
    def not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return problem_response(
            request,
            401,
            "not_authenticated",
            _("Sign-in required"),
            _("Send a valid API token as 'Authorization: Bearer …' or sign in."),
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem_response(
            request, 404, "not_found", _("Not found"), _("There is no such record.")
        )

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        return problem_response(
            request,
            429,
            "throttled",
            _("Too many attempts"),
            _("Too many requests from this address; wait a while and try again."),
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # Ninja raises it for a body it cannot parse (400) and a failed CSRF check (403).
        if exc.status_code == 400:
            return domain_problem(request, MalformedBody())
        if exc.status_code == 403:
            return problem_response(
                request,
                403,
                "csrf_failed",
                _("The request's CSRF check failed"),
                _("Send the CSRF token with a signed-in session, or use an API token."),
            )
        return problem_response(request, exc.status_code, "http_error", str(exc), str(exc))

    # Django raises these while it reads a body: too large for DATA_UPLOAD_MAX_MEMORY_SIZE or
    # its field and file limits, or a multipart body it cannot split.
    @api.exception_handler(RequestDataTooBig)
    @api.exception_handler(TooManyFieldsSent)
    @api.exception_handler(TooManyFilesSent)
    def too_large(request: HttpRequest, exc: Exception) -> HttpResponse:
        return domain_problem(request, BodyTooLarge())

    @api.exception_handler(MultiPartParserError)
    @api.exception_handler(UnreadablePostError)
    def malformed(request: HttpRequest, exc: Exception) -> HttpResponse:
        return domain_problem(request, MalformedBody())

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception(
            "unhandled API error on %s (request id %s)",
            request.path,
            getattr(request, "request_id", "-"),
        )
        return problem_response(
            request,
            500,
            "internal_error",
            _("Internal error"),
            _("Something went wrong on our side; the request id identifies it in the logs."),
        )
