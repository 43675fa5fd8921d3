"""Whoever has just written reads from the primary for a while (docs/replica.md).

After a successful POST, PUT, PATCH or DELETE, two marks last HAICAP_REPLICA_STICKY_SECONDS:

- a signed cookie, for that browser (signed, so a client cannot pin itself for longer);
- the user's id in the ``read_your_writes`` cache, for that user everywhere, API clients with a
  bearer token included, which send no cookie. The settings make it a file cache every web
  process of the machine shares (``HAICAP_READ_YOUR_WRITES_DIR``).

While either mark holds, ``reads_from_replica`` views read from the primary.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.http import HttpRequest, HttpResponse

from haicap.core.replica import primary_when

COOKIE = "haicap_primary"
_SALT = "haicap.core.read_your_writes"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def _marks() -> BaseCache:
    """The cache of who has just written, shared by the machine's web processes (settings)."""
    return caches["read_your_writes"]


def _user_key(user_id: object) -> str:
    return f"haicap:primary-reads:user:{user_id}"


def _user_id(request: HttpRequest) -> object | None:
    user = getattr(request, "user", None)  # resolved by the sign-in or the API token
    return user.pk if user is not None and user.is_authenticated else None


class _StayOnPrimary:
    """Whether this request's reads stay on the primary: asked only when a read could go to the
    replica, and worked out once."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.answer: bool | None = None

    def __call__(self) -> bool:
        if self.answer is None:
            self.answer = self._marked()
        return self.answer

    def _marked(self) -> bool:
        sticky = settings.REPLICA_STICKY_SECONDS
        if self.request.get_signed_cookie(COOKIE, None, salt=_SALT, max_age=sticky):
            return True
        user_id = _user_id(self.request)
        return user_id is not None and _marks().get(_user_key(user_id)) is not None


class ReadYourWritesMiddleware:
    """After AuthenticationMiddleware: it needs to know who wrote."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with primary_when(_StayOnPrimary(request)):
            response = self.get_response(request)
        if request.method not in SAFE_METHODS and response.status_code < 400:
            self.remember(request, response)
        return response

    def remember(self, request: HttpRequest, response: HttpResponse) -> None:
        sticky = settings.REPLICA_STICKY_SECONDS
        response.set_signed_cookie(
            COOKIE,
            str(int(time.time())),
            salt=_SALT,
            max_age=int(sticky) + 1,  # the signature's own age is what counts
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
        user_id = _user_id(request)
        if user_id is not None:
            _marks().set(_user_key(user_id), 1, timeout=sticky)
