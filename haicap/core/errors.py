"""Domain errors. Each carries a stable machine code, an HTTP status and a human message.

Services raise these; the API turns them into ``application/problem+json`` and the desk
into a message in the user's language.
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "domain_error"
    status = 400
    title = _("The request cannot be carried out")

    def __init__(self, detail: str | None = None, **extra: object) -> None:
        self.detail = str(detail) if detail is not None else str(self.title)
        self.extra = extra
        super().__init__(self.detail)


class NotFound(DomainError):
    code = "not_found"
    status = 404
    title = _("Not found")


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403
    title = _("You are not allowed to do this")


class InvalidInput(DomainError):
    code = "invalid_input"
    status = 422
    title = _("The input is not valid")


class Conflict(DomainError):
    code = "conflict"
    status = 409
    title = _("The record was changed or already exists")


class Throttled(DomainError):
    code = "throttled"
    status = 429
    title = _("Too many attempts")


class IdempotencyKeyReused(DomainError):
    """An ``Idempotency-Key`` sent again with another request (IETF httpapi Idempotency-Key
    draft: 422). The first request's answer is not given for a different one."""

    code = "idempotency_key_reused"
    status = 422
    title = _("This Idempotency-Key was used for another request")


class MalformedBody(DomainError):
    code = "malformed_body"
    status = 400
    title = _("The request body cannot be read")

    def __init__(self, detail: str | None = None, **extra: object) -> None:
        super().__init__(
            detail
            or _("Send JSON (or a multipart form for a file) in the form the operation describes."),
            **extra,
        )


class BodyTooLarge(DomainError):
    code = "too_large"
    status = 413
    title = _("The request body is too large")
