"""Error pages and problems for requests Django refused before a view."""

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views import defaults

from haicap.core.api import domain_problem, problem_response
from haicap.core.errors import BodyTooLarge


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """An address under /api/ that names no operation (an empty code, say) is a problem, too."""
    if not _is_api(request):
        return defaults.page_not_found(request, exception)
    return problem_response(
        request, 404, "not_found", _("Not found"), _("There is no such record.")
    )


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A request Django refused before the API saw it (in a middleware) is a problem, too."""
    if not _is_api(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        return domain_problem(request, BodyTooLarge())
    return problem_response(
        request,
        400,
        "bad_request",
        _("The request was refused"),
        _("The request is not one the server accepts (its host name or its body, say)."),
    )
