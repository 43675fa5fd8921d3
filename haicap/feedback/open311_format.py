"""Open311 GeoReport v2 as haicap speaks it (pure: no Django).

A petition category is a *service*; a petition whose sender agreed to publication is a *service
request*. This module maps them to the spec's records, reads what a client sends (W3C
datetimes, ``attribute[code]`` fields) and writes JSON's top-level arrays or the spec's XML
(the Spark convention: a list is an element per item, named after its container).

The spec: http://wiki.open311.org/GeoReport_v2 (frozen). Times are W3C datetimes with their
offset; ``service_request_id`` is the petition's tracking code, a string.
"""

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

from haicap.calendar.workdays import VIETNAM
from haicap.feedback.lifecycle import OPEN_STATES, State

OPEN, CLOSED = "open", "closed"
# Answered is closed for Open311 ("it has been resolved"); a reopened petition is open again.
CLOSED_STATES = frozenset(s.value for s in State) - frozenset(s.value for s in OPEN_STATES)

STRING, TEXT, NUMBER, DATETIME = "string", "text", "number", "datetime"
SINGLE_VALUE_LIST, MULTI_VALUE_LIST = "singlevaluelist", "multivaluelist"
LISTS = (SINGLE_VALUE_LIST, MULTI_VALUE_LIST)

# W3C datetime (NOTE-datetime): a year, a month, a day, or a moment with its offset. A "+" that
# a client forgot to escape in a query string arrives as a space, and is read as a "+".
_W3C = re.compile(
    r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:T(?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(?P<offset>Z|[+\- ]\d{2}:\d{2}))?)?)?$"
)
_ATTRIBUTE = re.compile(r"^attribute\[(?P<code>[^\[\]]+)\](?P<many>\[\])?$")

# The Spark convention's element for each item of a list, by the list's name.
_ITEMS = {
    "services": "service",
    "attributes": "attribute",
    "values": "value",
    "service_requests": "request",
    "errors": "error",
}


def status_of(state: str) -> str:
    """A petition's lifecycle state as an Open311 status."""
    return CLOSED if state in CLOSED_STATES else OPEN


def states_of(status: str) -> frozenset[str] | None:
    """The states an Open311 status stands for; None for a status the spec does not know."""
    if status == OPEN:
        return frozenset(s.value for s in OPEN_STATES)
    if status == CLOSED:
        return CLOSED_STATES
    return None


def w3c(moment: dt.datetime | None) -> str | None:
    """A moment as a W3C datetime in Vietnam's offset, to the second: 2026-03-02T09:00:00+07:00."""
    if moment is None:
        return None
    return moment.astimezone(VIETNAM).isoformat(timespec="seconds")


def parse_w3c(text: str) -> dt.datetime:
    """A W3C datetime a client sent; a day or a month is its first moment, and one without an
    offset is Vietnam time. Raises ``ValueError``."""
    found = _W3C.match(text.strip())
    if found is None:
        raise ValueError(f"not a W3C datetime: {text[:40]!r}")
    year, month, day = int(found["year"]), int(found["month"] or 1), int(found["day"] or 1)
    if found["time"] is None:
        return dt.datetime(year, month, day, tzinfo=VIETNAM)
    offset = found["offset"].replace(" ", "+").replace("Z", "+00:00")
    return dt.datetime.fromisoformat(f"{year:04d}-{month:02d}-{day:02d}T{found['time']}{offset}")


def attributes(fields: Iterable[tuple[str, Sequence[str]]]) -> dict[str, list[str]]:
    """The ``attribute[code]=value`` fields of a POST (``attribute[code][]`` for each value of
    a multivaluelist), by code."""
    found: dict[str, list[str]] = {}
    for name, values in fields:
        if match := _ATTRIBUTE.match(name):
            found.setdefault(match["code"], []).extend(values)
    return found


@dataclass(frozen=True)
class Service:
    code: str
    name: str
    description: str
    keywords: str
    group: str


def service(record: Service) -> dict[str, Any]:
    """An entry of services.json: every service takes attributes (``metadata``) and answers a
    service_request_id at once (``realtime``)."""
    return {
        "service_code": record.code,
        "service_name": record.name,
        "description": record.description,
        "metadata": True,
        "type": "realtime",
        "keywords": record.keywords,
        "group": record.group,
    }


@dataclass(frozen=True)
class Attribute:
    code: str
    datatype: str
    required: bool
    description: str
    datatype_description: str = ""
    values: tuple[tuple[str, str], ...] = ()  # (key, name) of a list's options
    variable: bool = True


def definition(service_code: str, attributes: Sequence[Attribute]) -> dict[str, Any]:
    """services/{code}.json: the attributes in the order they are asked, numbered from 1."""
    return {
        "service_code": service_code,
        "attributes": [
            {
                "variable": a.variable,
                "code": a.code,
                "datatype": a.datatype,
                "required": a.required,
                "datatype_description": a.datatype_description or None,
                "order": order,
                "description": a.description,
                "values": [{"key": key, "name": name} for key, name in a.values],
            }
            for order, a in enumerate(attributes, 1)
        ],
    }


@dataclass(frozen=True)
class Request:
    """A published petition as Open311 shows it: nothing of its sender."""

    service_request_id: str
    state: str
    status_notes: str  # the published answer, or ""
    service_name: str
    service_code: str
    description: str  # personal data removed
    agency_responsible: str
    requested: dt.datetime
    updated: dt.datetime
    expected: dt.datetime  # the legal deadline
    address: str
    address_id: str
    zipcode: str


def request(record: Request) -> dict[str, Any]:
    """An entry of requests.json. Photos are the staff's alone and a position may say where the
    sender stood: ``lat``, ``long`` and ``media_url`` are always null."""
    return {
        "service_request_id": record.service_request_id,
        "status": status_of(record.state),
        "status_notes": record.status_notes or None,
        "service_name": record.service_name,
        "service_code": record.service_code,
        "description": record.description,
        "agency_responsible": record.agency_responsible,
        "service_notice": None,
        "requested_datetime": w3c(record.requested),
        "updated_datetime": w3c(record.updated),
        "expected_datetime": w3c(record.expected),
        "address": record.address or None,
        "address_id": record.address_id or None,
        "zipcode": record.zipcode or None,
        "lat": None,
        "long": None,
        "media_url": None,
    }


def posted(service_request_id: str, notice: str) -> list[dict[str, Any]]:
    """The answer to POST requests.json: no user accounts are kept, so ``account_id`` is null."""
    return [
        {"service_request_id": service_request_id, "service_notice": notice, "account_id": None}
    ]


def errors(code: int, description: str) -> list[dict[str, Any]]:
    return [{"code": code, "description": description}]


def to_xml(root: str, data: Mapping[str, Any] | Sequence[Any]) -> bytes:
    """The XML form of a JSON answer, ``root`` its outer element (``services``,
    ``service_definition``, ``service_requests``, ``errors``)."""
    element = _element(root, data)
    return ElementTree.tostring(element, encoding="utf-8", xml_declaration=True)


def _element(name: str, value: Any) -> ElementTree.Element:
    element = ElementTree.Element(name)
    if isinstance(value, Mapping):
        for key, item in value.items():
            element.append(_element(key, item))
    elif isinstance(value, list | tuple):
        for item in value:
            element.append(_element(_ITEMS[name], item))
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)
    return element
