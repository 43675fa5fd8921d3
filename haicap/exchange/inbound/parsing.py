"""A dossier filed on the national public-service portal, as it reaches haicap (pure: no Django).

Two jobs: checking that a webhook delivery really comes from the portal (HMAC-SHA256 over
``timestamp + "." + raw body`` with a shared secret, within a replay window), and reading the
filing it carries into a ``Filing`` or the list of what is wrong with it.

The message (JSON object)::

    {
      "national_id": "G22.99-250701-000123",      # the portal's id of the filing
      "procedure_code": "X.HT.007",              # national procedure code
      "agency_code": "17662.05.H40",             # the desk that receives it (national code)
      "unit_code": "17662",                      # the commune, for commune procedures (optional)
      "applicant": {"name": "...", "id_number": "...", "phone": "...", "email": "...",
                    "address": "...", "business_code": "..."},
      "submitted_at": "2025-07-01T09:30:00+07:00",  # ISO 8601 with its offset
      "documents": [{"name": "...", "url": "https://..."}]   # optional, kept as received
    }

Messages in English, like ``dossiers.applicant``: the service puts them in a translated sentence.
"""

import datetime as dt
import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from haicap.core.characters import text_problem
from haicap.dossiers.applicant import Applicant
from haicap.dossiers.applicant import problems as applicant_problems

SIGNATURE_SCHEME = "sha256="
DEFAULT_WINDOW_SECONDS = 300
# What a national id may look like: it is a key, and a segment of the queue's ack URL.
_NATIONAL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,79}$")
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
_APPLICANT_LIMITS = {
    "name": 200,
    "id_number": 12,
    "phone": 15,
    "email": 254,
    "address": 300,
    "business_code": 14,
}
MAX_DOCUMENTS = 100


class SignatureRejected(Exception):
    """The delivery cannot be shown to come from the national portal."""


class Unreadable(Exception):
    """The message has no national id haicap can key it by: it cannot even be recorded."""


@dataclass(frozen=True)
class Document:
    name: str
    url: str = ""


@dataclass(frozen=True)
class Filing:
    national_id: str
    procedure_code: str
    agency_code: str
    unit_code: str
    applicant: Applicant
    submitted_at: dt.datetime
    documents: tuple[Document, ...] = ()


@dataclass(frozen=True)
class Reading:
    """A message read: the filing, or (with its national id) what is wrong with it."""

    national_id: str
    filing: Filing | None
    problems: dict[str, str]


# --- signatures ------------------------------------------------------------------------------


def signature(secret: bytes, timestamp: str, body: bytes) -> str:
    """The ``X-Signature`` value of a delivery: ``sha256=<hex>``."""
    digest = hmac.new(secret, timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return SIGNATURE_SCHEME + digest.hexdigest()


def check_signature(
    secret: bytes,
    signature_header: str | None,
    timestamp_header: str | None,
    body: bytes,
    now: dt.datetime,
    window_seconds: int = DEFAULT_WINDOW_SECONDS,
) -> None:
    """Raise ``SignatureRejected`` unless the delivery is signed with ``secret`` and recent.

    The timestamp is signed with the body, so an old delivery cannot be replayed with a new
    time; within the window a replay is harmless, since a filing is received once by its id.
    """
    if not signature_header or not timestamp_header:
        raise SignatureRejected("the X-Signature and X-Timestamp headers are required")
    timestamp = timestamp_header.strip()
    if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
        raise SignatureRejected("X-Timestamp is not a time in Unix seconds")
    if abs(now.timestamp() - int(timestamp)) > window_seconds:
        raise SignatureRejected("X-Timestamp is outside the accepted window")
    given = signature_header.strip()
    if not given.startswith(SIGNATURE_SCHEME):
        raise SignatureRejected("X-Signature must be 'sha256=<hex>'")
    expected = signature(secret, timestamp, body)
    if not hmac.compare_digest(expected.encode("ascii"), given.encode("utf-8", "replace")):
        raise SignatureRejected("the signature does not match")


# --- the filing ------------------------------------------------------------------------------


def _as_mapping(data: object) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise Unreadable("the message is not a JSON object")
    return data


def national_id_of(data: object) -> str:
    """The message's national id, or ``Unreadable``."""
    national_id = _as_mapping(data).get("national_id")
    if not isinstance(national_id, str) or not _NATIONAL_ID.fullmatch(national_id):
        raise Unreadable(
            "national_id is missing or not an id (letters, digits and . _ : -, at most 80)"
        )
    return national_id


def _text(data: Mapping[str, Any], key: str, limit: int, problems: dict[str, str]) -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        problems[key] = "must be text"
        return ""
    value = value.strip()
    if len(value) > limit:
        problems[key] = f"is longer than {limit} characters"
    elif problem := text_problem(value):
        problems[key] = problem
    return value


def _code(data: Mapping[str, Any], key: str, problems: dict[str, str], required: bool) -> str:
    value = _text(data, key, 40, problems)
    if key in problems:
        return ""
    if not value:
        if required:
            problems[key] = "is required"
        return ""
    if not _CODE.fullmatch(value):
        problems[key] = "is not a code"
        return ""
    return value


def _moment(value: object, problems: dict[str, str]) -> dt.datetime | None:
    if not isinstance(value, str) or not value.strip():
        problems["submitted_at"] = "is required: an ISO 8601 time with its offset"
        return None
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        problems["submitted_at"] = "is not an ISO 8601 time"
        return None
    if moment.tzinfo is None or moment.utcoffset() is None:
        problems["submitted_at"] = "needs its offset (e.g. +07:00)"
        return None
    return moment


def _applicant(value: object, today: dt.date, problems: dict[str, str]) -> Applicant | None:
    if not isinstance(value, Mapping):
        problems["applicant"] = "is required: an object with the applicant's details"
        return None
    found: dict[str, str] = {}
    fields = {key: _text(value, key, limit, found) for key, limit in _APPLICANT_LIMITS.items()}
    if not found:
        found.update(applicant_problems(Applicant(**fields), today))
    problems.update({f"applicant.{key}": message for key, message in found.items()})
    return None if found else Applicant(**fields)


def _documents(value: object, problems: dict[str, str]) -> tuple[Document, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or len(value) > MAX_DOCUMENTS:
        problems["documents"] = f"must be a list of at most {MAX_DOCUMENTS} papers"
        return ()
    documents = []
    for number, item in enumerate(value):
        found: dict[str, str] = {}
        if not isinstance(item, Mapping):
            problems[f"documents[{number}]"] = "must be an object with a name"
            continue
        name = _text(item, "name", 300, found)
        url = _text(item, "url", 1000, found)
        if not name and "name" not in found:
            found["name"] = "is required"
        if url and not url.lower().startswith(("https://", "http://")):
            found["url"] = "must be an http(s) address"
        problems.update({f"documents[{number}].{key}": msg for key, msg in found.items()})
        if not found:
            documents.append(Document(name=name, url=url))
    return tuple(documents)


def read_filing(data: object, today: dt.date) -> Reading:
    """Read a message; ``Unreadable`` when it has no usable national id.

    ``today`` is the receiving day, for the plausibility of a citizen ID number.
    """
    message = _as_mapping(data)
    national_id = national_id_of(message)
    problems: dict[str, str] = {}
    procedure_code = _code(message, "procedure_code", problems, required=True)
    agency_code = _code(message, "agency_code", problems, required=True)
    unit_code = _code(message, "unit_code", problems, required=False)
    applicant = _applicant(message.get("applicant"), today, problems)
    submitted_at = _moment(message.get("submitted_at"), problems)
    documents = _documents(message.get("documents"), problems)
    if problems or applicant is None or submitted_at is None:
        return Reading(national_id, None, problems)
    filing = Filing(
        national_id=national_id,
        procedure_code=procedure_code,
        agency_code=agency_code,
        unit_code=unit_code,
        applicant=applicant,
        submitted_at=submitted_at,
        documents=documents,
    )
    return Reading(national_id, filing, {})


def time_of_receipt(
    submitted_at: dt.datetime, now: dt.datetime, tolerance_seconds: int = DEFAULT_WINDOW_SECONDS
) -> dt.datetime | None:
    """When the dossier counts as received: its filing time, as the portal recorded it.

    A filing stamped a little after ``now`` (the two clocks disagree) counts from ``now``;
    one further in the future is not believable (``None``).
    """
    if submitted_at <= now:
        return submitted_at
    if (submitted_at - now).total_seconds() <= tolerance_seconds:
        return now
    return None


def describe(problems: Mapping[str, str]) -> str:
    """``field: problem; field: problem``, in a stable order."""
    return "; ".join(f"{field}: {problem}" for field, problem in sorted(problems.items()))


def differing_fields(first: Mapping[str, Any], again: Mapping[str, Any]) -> list[str]:
    """The dotted names of what differs between two messages (``applicant.name``), sorted.

    Names only, never values: an operator's list must not repeat personal data.
    """
    found: list[str] = []
    for key in sorted(set(first) | set(again), key=str):
        a, b = first.get(key), again.get(key)
        if isinstance(a, Mapping) and isinstance(b, Mapping):
            found.extend(f"{key}.{inner}" for inner in differing_fields(a, b))
        elif a != b:
            found.append(str(key))
    return found
