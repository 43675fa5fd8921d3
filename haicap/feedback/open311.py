"""Open311 GeoReport v2 at ``/open311/v2/``: the categories as services, and the answered
petitions whose senders agreed to publication as service requests (the public pages' rule,
``selectors.published_petitions``); anyone may file one (POST requests).

Plain views, not the ``/api/v1/`` application: the spec fixes the addresses, the form-encoded
POST and the error format (``[{"code": 400, "description": "…"}]`` with the HTTP status: 404
for what does not exist, 429 when throttled, 400 for any other refusal). JSON, or the spec's XML
with ``.xml``. Nothing of a sender is ever shown, and the descriptions have personal data
removed (``redaction``). One jurisdiction: ``jurisdiction_id`` is ignored, and ``api_key`` is
not needed.
"""

import datetime as dt
import functools
import json
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from haicap.calendar.workdays import VIETNAM
from haicap.core import clock, moments
from haicap.core.errors import DomainError, NotFound, Throttled
from haicap.core.middleware import client_ip
from haicap.feedback import open311_format as fmt
from haicap.feedback import selectors
from haicap.feedback.models import Category, Petition
from haicap.feedback.redaction import redact
from haicap.feedback.services import filing, remote_filing
from haicap.units.selectors import public_communes

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"
MOST_REQUESTS = 1000  # the spec's default volume
WINDOW = dt.timedelta(days=90)  # the spec's default span, and the longest a query may ask
PUBLISH = "yes"


class BadRequest(DomainError):
    code = "open311_bad_request"
    status = 400


def _answer(data: object, root: str, form: str, status: int = 200) -> HttpResponse:
    if form == "xml":
        return HttpResponse(fmt.to_xml(root, data), content_type=XML_TYPE, status=status)
    body = json.dumps(data, ensure_ascii=False)
    return HttpResponse(body, content_type=JSON_TYPE, status=status)


def _status(error: DomainError) -> int:
    if isinstance(error, NotFound | Throttled):
        return error.status
    return 400


def open311_view(
    methods: tuple[str, ...],
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A view answering ``methods`` in JSON or XML (``form``), its refusals in the spec's form."""

    allowed = (*methods, "HEAD") if "GET" in methods else methods

    def wrap(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def answered(request: HttpRequest, *args: object, form: str = "json", **kw: object):
            if request.method not in allowed:
                method = (request.method or "")[:10]
                refusal = _("This address does not take %(method)s.") % {"method": method}
                response = _answer(fmt.errors(405, refusal), "errors", form, 405)
                response["Allow"] = ", ".join(allowed)
                return response
            try:
                return view(request, *args, form=form, **kw)
            except (RequestDataTooBig, TooManyFieldsSent):
                too_large = _("The request is too large.")
                return _answer(fmt.errors(413, too_large), "errors", form, 413)
            except DomainError as error:
                status = _status(error)
                return _answer(fmt.errors(status, error.detail), "errors", form, status)

        return csrf_exempt(answered)

    return wrap


# --- services ------------------------------------------------------------------------------


def _group(category: Category) -> str:
    if category.about_dossiers:
        return _("Administrative procedures")
    return _("Petitions about local matters")


def _service(category: Category) -> fmt.Service:
    return fmt.Service(
        code=category.code,
        name=category.shown_name,
        description=category.description,
        keywords=category.keywords,
        group=_group(category),
    )


def _attributes(category: Category) -> list[fmt.Attribute]:
    """What a petition names besides its text: where (a commune in force, or one abolished by
    the 2025 merger), the village, the dossier (for a procedure), and the publication consent."""
    current = tuple((u.code, u.full_name) for u in public_communes())
    former = tuple(
        (str(u.pk), f"{u.full_name} ({u.parent.full_name})" if u.parent else u.full_name)
        for u in selectors.former_communes()
    )
    asked = [
        fmt.Attribute(
            "commune",
            fmt.SINGLE_VALUE_LIST,
            False,
            _("The commune or ward where it happened; leave it empty for a province-wide matter."),
            values=current,
        ),
        fmt.Attribute(
            "former_commune",
            fmt.SINGLE_VALUE_LIST,
            False,
            _(
                "Or the commune or ward as it was before 1 July 2025: the petition goes to the "
                "one that replaced it."
            ),
            values=former,
        ),
        fmt.Attribute(
            "village",
            fmt.STRING,
            False,
            _("The village, hamlet or residential group."),
            datatype_description=_("At most 120 characters."),
        ),
    ]
    if category.about_dossiers:
        asked.append(
            fmt.Attribute(
                "dossier_code",
                fmt.STRING,
                False,
                _("The code of the dossier it is about, as printed on the receipt."),
            )
        )
    asked.append(
        fmt.Attribute(
            "publish",
            fmt.SINGLE_VALUE_LIST,
            False,
            _(
                "May the petition and its answer be published, without the sender's name, "
                "contact or other personal data?"
            ),
            datatype_description=_("No, unless the sender agrees."),
            values=((PUBLISH, _("Yes")), ("no", _("No"))),
        )
    )
    return asked


@open311_view(("GET",))
def services(request: HttpRequest, form: str = "json") -> HttpResponse:
    found = [fmt.service(_service(c)) for c in selectors.offered_categories()]
    return _answer(found, "services", form)


def _category(code: str) -> Category:
    category = selectors.offered_category(code)
    if category is None:
        raise NotFound(_("No service has the code %(code)s.") % {"code": code[:40]})
    return category


@open311_view(("GET",))
def service_definition(request: HttpRequest, code: str, form: str = "json") -> HttpResponse:
    category = _category(code)
    return _answer(fmt.definition(category.code, _attributes(category)), "service_definition", form)


# --- requests ------------------------------------------------------------------------------


def _published_answer(petition: Petition) -> str:
    answers = list(petition.answers.all())  # prefetched in order: the last one stands
    return answers[-1].public_text if answers else ""


def _record(petition: Petition) -> fmt.Request:
    personal = petition.sender_details
    commune = petition.commune
    where = [redact(petition.village, personal), commune.full_name if commune else ""]
    return fmt.Request(
        service_request_id=petition.code,
        state=petition.state,
        status_notes=_published_answer(petition),
        service_name=petition.category.shown_name,
        service_code=petition.category.code,
        description=redact(petition.text, personal),
        agency_responsible=petition.agency.name,
        requested=petition.received_at,
        updated=petition.updated_at or petition.received_at,
        expected=petition.legal_due_at,
        address=", ".join(part for part in where if part),
        address_id=commune.code if commune else "",
        zipcode=commune.postcode if commune else "",
    )


def _listed(values: str) -> list[str]:
    return [v.strip() for v in values.split(",") if v.strip()]


def _moment(request: HttpRequest, name: str) -> dt.datetime | None:
    text = request.GET.get(name, "").strip()
    if not text:
        return None
    try:
        return moments.check_moment(fmt.parse_w3c(text))
    except (ValueError, moments.OutOfRange) as error:
        raise BadRequest(
            _("%(name)s: give a W3C datetime, such as 2026-03-02T00:00:00+07:00.") % {"name": name}
        ) from error


def _filtered(request: HttpRequest):
    petitions = selectors.published_requests()
    wanted = _listed(request.GET.get("service_request_id", ""))
    if wanted:  # the spec: this overrides all other arguments
        return petitions.filter(code__in=wanted[:MOST_REQUESTS])
    if codes := _listed(request.GET.get("service_code", "")):
        petitions = petitions.filter(category__code__in=codes)
    if statuses := _listed(request.GET.get("status", "")):
        states: set[str] = set()
        for status in statuses:
            found = fmt.states_of(status)
            if found is None:
                raise BadRequest(_("status: give open or closed."))
            states |= found
        petitions = petitions.filter(state__in=sorted(states))
    start, end = _moment(request, "start_date"), _moment(request, "end_date")
    if start is None and end is None:
        end = clock.now()
    if start is None:
        start = end - WINDOW
    if end is None:
        end = start + WINDOW
    if start > end:
        raise BadRequest(_("start_date must come before end_date."))
    if end - start > WINDOW:
        raise BadRequest(_("A search may span at most 90 days."))
    return petitions.filter(received_at__gte=start, received_at__lte=end)


def _list_requests(request: HttpRequest, form: str) -> HttpResponse:
    found = [fmt.request(_record(p)) for p in _filtered(request)[:MOST_REQUESTS]]
    return _answer(found, "service_requests", form)


def _field(request: HttpRequest, name: str) -> str:
    return request.POST.get(name, "").strip()


def _coordinate(text: str, name: str) -> Decimal | None:
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation as error:
        raise BadRequest(_("%(name)s: give a number in degrees.") % {"name": name}) from error
    if not value.is_finite():
        raise BadRequest(_("%(name)s: give a number in degrees.") % {"name": name})
    return value


def _one(attributes: dict[str, list[str]], code: str) -> str:
    values = [v.strip() for v in attributes.get(code, []) if v.strip()]
    return values[0] if values else ""


def _where(request: HttpRequest, attributes: dict[str, list[str]]) -> dict:
    """The commune (``attribute[commune]``, or ``address_id``: a commune's code), the former
    one, the address and the position the client sent."""
    commune_code = _one(attributes, "commune") or _field(request, "address_id")
    commune = named = None
    if commune_code:
        commune = selectors.commune_in_force(commune_code[:10])
        if commune is None:
            raise BadRequest(
                _("commune: no commune or ward in force has the code %(code)s.")
                % {"code": commune_code[:20]}
            )
    if former := _one(attributes, "former_commune"):
        named = selectors.unit_by_id(int(former), former=True) if former.isdigit() else None
        if named is None:
            raise BadRequest(_("former_commune: choose one of the service definition's values."))
    latitude = _coordinate(_field(request, "lat"), "lat")
    longitude = _coordinate(_field(request, "long"), "long")
    address = _field(request, "address_string")
    if commune is None and named is None and latitude is None and not address:
        raise BadRequest(
            _("Say where it happened: lat and long, address_string, address_id or a commune.")
        )
    return {
        "commune": commune,
        "named_unit": named,
        "place": address[:300],
        "latitude": latitude,
        "longitude": longitude,
    }


def _notice(petition: Petition, pin: str) -> str:
    due = petition.legal_due_at.astimezone(VIETNAM).strftime("%d/%m/%Y")
    facts = {"code": petition.code, "agency": petition.agency.name, "due": due, "pin": pin}
    if pin:
        return (
            _(
                "Received as %(code)s: %(agency)s answers it by %(due)s. Its PIN is %(pin)s: "
                "with the code it follows the petition. It is shown only this once."
            )
            % facts
        )
    return (
        _(
            "Received before as %(code)s: %(agency)s answers it by %(due)s. Its PIN was shown "
            "only the first time."
        )
        % facts
    )


def _post_request(request: HttpRequest, form: str) -> HttpResponse:
    phone, email = _field(request, "phone"), _field(request, "email")
    filing.count_attempt(client_ip(request), phone, email)
    code = _field(request, "service_code")
    if not code:
        raise BadRequest(_("service_code was not provided."))
    category = _category(code)
    attributes = fmt.attributes(request.POST.lists())
    # A Vietnamese name is written family name first.
    name = " ".join(filter(None, (_field(request, "last_name"), _field(request, "first_name"))))
    sender = filing.Sender(name=name[:120], phone=phone[:20], email=email[:254])
    filed = remote_filing.file_once(
        scope=remote_filing.public_scope(sender),
        key=request.headers.get("Idempotency-Key", ""),
        category=category,
        text=request.POST.get("description", ""),
        sender=sender,
        channel=Petition.Channel.OPEN311,
        village=_one(attributes, "village")[:120],
        dossier_code=_one(attributes, "dossier_code")[:40] if category.about_dossiers else "",
        publish_consent=_one(attributes, "publish") == PUBLISH,
        **_where(request, attributes),
    )
    petition = filed.petition
    answer = fmt.posted(petition.code, _notice(petition, filed.pin))
    return _answer(answer, "service_requests", form, 200 if filed.again else 201)


@open311_view(("GET", "POST"))
def service_requests(request: HttpRequest, form: str = "json") -> HttpResponse:
    if request.method == "POST":
        return _post_request(request, form)
    return _list_requests(request, form)


@open311_view(("GET",))
def service_request(request: HttpRequest, request_id: str, form: str = "json") -> HttpResponse:
    found = selectors.published_requests().filter(code=request_id[:40]).first()
    if found is None:
        raise NotFound(
            _("No published service request has the id %(id)s.") % {"id": request_id[:40]}
        )
    return _answer([fmt.request(_record(found))], "service_requests", form)
