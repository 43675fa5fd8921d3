"""Who is acting and from where, for the audit log.

A request sets it in the middleware; a command or the worker names itself with
``acting_as("job-name")``. Services read it when they record a change.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class ActingContext:
    request_id: str = ""
    ip: str | None = None
    job: str = ""


_NOBODY = ActingContext()  # frozen, so sharing it as the default is safe
_current: ContextVar[ActingContext] = ContextVar("haicap_acting_context", default=_NOBODY)


def current() -> ActingContext:
    return _current.get()


@contextmanager
def acting_in_request(request_id: str, ip: str | None) -> Iterator[ActingContext]:
    token = _current.set(ActingContext(request_id=request_id, ip=ip))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


@contextmanager
def acting_as(job: str) -> Iterator[ActingContext]:
    """Run a command or background job under its own name, with a fresh request id."""
    token = _current.set(replace(current(), job=job, request_id=new_request_id()))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def new_request_id() -> str:
    return uuid.uuid4().hex
