"""Looking up an enterprise in the national business register, with a cache for when it is away.

A desk officer pre-fills and checks an applicant's details by enterprise code. The answer comes
from the register (``source="live"``) and is kept in ``BusinessRecord``; a copy younger than the
maximum age is answered from there (``source="cache"``). When the register cannot be reached the
last copy is answered, marked ``stale`` with a note saying so and how old it is; with no copy
the lookup fails with 503.

The register's answer (``GET {HAICAP_BUSINESS_REGISTER_URL}/api/v1/enterprises/<code>``)::

    {"enterprise_code": "0101234567", "name": "...", "address": "...",
     "representative": "...", "status": "active", ...}

404 means the register knows no such enterprise.
"""

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haicap.accounts.models import User
from haicap.core import clock
from haicap.core.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from haicap.core.scoping import scope_of
from haicap.dossiers.applicant import business_code_problem
from haicap.exchange.inbound.http import Unreachable, number_setting, request_json, setting
from haicap.exchange.models import BusinessRecord

logger = logging.getLogger(__name__)

LIVE, CACHE = "live", "cache"
DEFAULT_MAX_AGE_SECONDS = 24 * 3600
DEFAULT_TIMEOUT_SECONDS = 3.0
_LIMITS = {"name": 300, "address": 400, "representative": 200, "status": 60}


class RegisterUnavailable(DomainError):
    code = "register_unavailable"
    status = 503
    title = gettext_lazy("The national business register is not available")


@dataclass(frozen=True)
class Lookup:
    record: BusinessRecord
    source: str  # LIVE or CACHE
    stale: bool
    note: str = ""


def enterprise_facts(data: Any, code: str) -> dict[str, str] | None:
    """The register's answer as the record's columns, or ``None`` if it cannot be read."""
    if not isinstance(data, dict):
        return None
    answered_code = data.get("enterprise_code", code)
    if answered_code != code:
        return None  # an answer about another enterprise is not an answer
    facts = {}
    for key, limit in _LIMITS.items():
        value = data.get(key) or ""
        if not isinstance(value, str):
            return None
        facts[key] = " ".join(value.split())[:limit]
    return facts if facts["name"] else None


def look_up_business(actor: User, enterprise_code: str) -> Lookup:
    """The enterprise ``enterprise_code`` as the register says, or as it last said."""
    if scope_of(actor).user_id is None:
        raise PermissionDenied(_("Sign in to look up an enterprise."))
    code = enterprise_code.strip()
    problem = business_code_problem(code)
    if problem:
        raise InvalidInput(f"enterprise_code: {problem}")
    now = clock.now()
    kept = BusinessRecord.objects.filter(enterprise_code=code).first()
    max_age = dt.timedelta(
        seconds=number_setting("HAICAP_BUSINESS_REGISTER_MAX_AGE_SECONDS", DEFAULT_MAX_AGE_SECONDS)
    )
    if kept is not None and now - kept.fetched_at <= max_age:
        return Lookup(kept, CACHE, stale=False)
    base = setting("HAICAP_BUSINESS_REGISTER_URL")
    if not base:
        return _last_copy(kept, _("No address of the national business register is configured."))
    headers = {}
    if token := setting("HAICAP_BUSINESS_REGISTER_TOKEN"):
        headers["Authorization"] = f"Bearer {token}"
    try:
        reply = request_json(
            "GET",
            f"{base.rstrip('/')}/api/v1/enterprises/{quote(code)}",
            timeout=number_setting(
                "HAICAP_BUSINESS_REGISTER_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS
            ),
            headers=headers,
        )
    except Unreachable as error:
        logger.warning("business register unreachable: %s", error)
        return _last_copy(kept, _("The national business register cannot be reached."))
    if reply.status == 404:
        raise NotFound(
            _("The national business register knows no enterprise with the code %(code)s.")
            % {"code": code}
        )
    facts = enterprise_facts(reply.data, code) if reply.status == 200 else None
    if facts is None:
        logger.warning("business register: unusable answer (HTTP %s) for %s", reply.status, code)
        return _last_copy(
            kept, _("The national business register gave an answer haicap cannot read.")
        )
    with transaction.atomic():
        record, _created = BusinessRecord.objects.update_or_create(
            enterprise_code=code, defaults={**facts, "payload": reply.data, "fetched_at": now}
        )
    return Lookup(record, LIVE, stale=False)


def _last_copy(kept: BusinessRecord | None, why: str) -> Lookup:
    if kept is None:
        raise RegisterUnavailable(
            _("%(why)s No earlier copy of this enterprise is kept; try again later.") % {"why": why}
        )
    fetched = timezone.localtime(kept.fetched_at).strftime("%d/%m/%Y %H:%M")
    note = _("%(why)s This is the copy kept from %(fetched)s; it may be out of date.") % {
        "why": why,
        "fetched": fetched,
    }
    return Lookup(kept, CACHE, stale=True, note=note)
