"""Request-wide middleware: the request id and client address for the audit log, the language,
bodies too large refused unread, domain errors as pages, and which responses caches must not
keep."""

import enum
import json
import re
from collections.abc import Callable
from xml.etree import ElementTree

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _

from haicap.core import context
from haicap.core.errors import BodyTooLarge

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: the socket peer, or behind trusted proxies the last hop they name.

    Only proxies listed in ``HAICAP_TRUSTED_PROXIES`` are believed; walking ``X-Forwarded-For``
    from the right, the first address that is not one of them is the client.
    """
    peer = request.META.get("REMOTE_ADDR") or None
    if peer not in settings.TRUSTED_PROXIES:
        return peer
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if hop not in settings.TRUSTED_PROXIES:
            return hop[:45]
    return peer


class RequestContextMiddleware:
    """Give every request an id (kept from a well-formed ``X-Request-ID``); remember who asks."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else context.new_request_id()
        request.request_id = request_id
        with context.acting_in_request(request_id, client_ip(request)):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


# Where machine clients ask: they say their language in ``Accept-Language``.
MACHINE_PATHS = ("/api/", "/open311/")


class LanguageMiddleware:
    """Vietnamese unless the user chose otherwise.

    Pages follow the language cookie only (a browser's own language does not switch an
    officer's desk to English); the API and Open311 also honour ``Accept-Language`` for machine
    clients.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = self.choose(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary = response.get("Vary", "")
        if "Cookie" not in patch_vary:
            response["Vary"] = ", ".join(filter(None, [patch_vary, "Cookie"]))
        translation.deactivate()
        return response

    def choose(self, request: HttpRequest) -> str:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen in self.supported:
            return chosen
        if request.path.startswith(MACHINE_PATHS):
            accept = request.headers.get("Accept-Language", "")
            for part in accept.split(","):
                code = part.split(";")[0].strip().lower().split("-")[0]
                if code in self.supported:
                    return code
        return settings.LANGUAGE_CODE


def declared_size(request: HttpRequest) -> int:
    """The body's size as the client declares it (``Content-Length``); 0 when absent or bad."""
    length = request.META.get("CONTENT_LENGTH") or "0"
    return int(length) if length.isascii() and length.isdigit() else 0


def body_limit(path: str) -> int | None:
    """The most bytes a request to ``path`` may send: the longest prefix of
    ``settings.REQUEST_BODY_LIMITS`` that ``path`` starts with, or None (Django's own limits)."""
    prefixes = [p for p in settings.REQUEST_BODY_LIMITS if path.startswith(p)]
    return settings.REQUEST_BODY_LIMITS[max(prefixes, key=len)] if prefixes else None


class BodySizeLimitMiddleware:
    """Refuse (413) a request whose declared body is larger than its address takes, before
    anything reads the body.

    It acts in ``process_view`` and sits before ``CsrfViewMiddleware``, whose ``process_view``
    reads ``request.POST`` (so spools an upload to disk) before any view could refuse it; its
    answer still passes back through every middleware (the CSRF cookie, the cache headers). The
    answer is a page, ``application/problem+json`` under ``/api/``, or Open311's error list
    under ``/open311/``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: object, args: object, kwargs: object
    ) -> HttpResponse | None:
        limit = body_limit(request.path)
        if limit is None or declared_size(request) <= limit:
            return None
        return too_large(request, limit)


def too_large(request: HttpRequest, limit: int) -> HttpResponse:
    from haicap.core.api import domain_problem  # the API's module, loaded with the URLs

    if request.path.startswith("/api/"):
        return domain_problem(request, BodyTooLarge())
    if request.path.startswith("/open311/"):
        # the Open311 GeoReport v2 error list, in the form the address asks for
        description = _("The request is too large.")
        if request.path.endswith(".xml"):
            body = _open311_xml_error(413, description)
            return HttpResponse(body, status=413, content_type="text/xml; charset=utf-8")
        body = json.dumps([{"code": 413, "description": description}], ensure_ascii=False)
        return HttpResponse(body, status=413, content_type="application/json; charset=utf-8")
    detail = _("What you sent is larger than %(size)s: send fewer or smaller files.") % {
        "size": filesizeformat(limit)
    }
    context = {"title": BodyTooLarge.title, "detail": detail}
    return render(request, "error.html", context, status=413)


def _open311_xml_error(code: int, description: str) -> bytes:
    errors = ElementTree.Element("errors")
    error = ElementTree.SubElement(errors, "error")
    ElementTree.SubElement(error, "code").text = str(code)
    ElementTree.SubElement(error, "description").text = description
    return ElementTree.tostring(errors, encoding="utf-8", xml_declaration=True)


class DomainErrorPageMiddleware:
    """Turn a domain error raised in a page view into a page in the user's language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from haicap.core.errors import DomainError

        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        context = {"title": exception.title, "detail": exception.detail}
        return render(request, "error.html", context, status=exception.status)


# Public pages that show nothing personal and nothing only one visitor may see: caches may keep
# them. Static files never reach this middleware (WhiteNoise answers them first).
CACHEABLE_PUBLIC_VIEWS = frozenset(
    {"portal:home", "portal:procedure_list", "portal:procedure_detail", "portal:figures"}
)
# Blank public forms: nothing personal yet, but a one-time token for one visitor. The browser
# may keep them (Back brings the form back as it was typed, with its token, and sending it again
# files nothing twice); a shared cache may not, and the browser asks again on a new visit.
BROWSER_ONLY_FORM_VIEWS = frozenset({"portal:file_online"})


class CacheRule(enum.Enum):
    SHARED = "shared"
    BROWSER_ONLY = "browser_only"
    NO_STORE = "no_store"


def cache_rule(
    view_name: str | None, method: str, signed_in: bool, sends_credentials: bool
) -> CacheRule:
    """Who may keep a response. Only the public pages above, asked anonymously, may be kept;
    a blank form only by the browser that asked for it, and only as it was sent (GET).

    Everything else (the desk, the API, public look-ups, filled-in or refused forms) may carry
    personal data or a PIN, so it is ``no-store`` unless named here.
    """
    if signed_in or sends_credentials:
        return CacheRule.NO_STORE
    if view_name in CACHEABLE_PUBLIC_VIEWS:
        return CacheRule.SHARED
    if view_name in BROWSER_ONLY_FORM_VIEWS and method in ("GET", "HEAD"):
        return CacheRule.BROWSER_ONLY
    return CacheRule.NO_STORE


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response that may carry personal data or a PIN."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = request.resolver_match
        user = getattr(request, "user", None)
        rule = cache_rule(
            match.view_name if match else None,
            request.method or "",
            signed_in=bool(user and user.is_authenticated),
            sends_credentials="Authorization" in request.headers,
        )
        if rule is CacheRule.NO_STORE:
            add_never_cache_headers(response)
        elif rule is CacheRule.BROWSER_ONLY:
            patch_cache_control(response, private=True, no_cache=True)
        return response
