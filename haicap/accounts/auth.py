"""API authentication: a bearer token for machines, the session for the signed-in browser."""

from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from haicap.accounts.models import User
from haicap.accounts.services import authenticate_token


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = authenticate_token(token)
        if user is not None:
            request.user = user
        return user


STAFF_AUTH = [BearerToken(), django_auth]
