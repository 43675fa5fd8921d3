"""A body larger than its address takes is refused (413) before anything reads it: not the
CSRF check (which reads the form), not the view. Each answer is in its address's form: a page,
``application/problem+json`` under /api/, Open311's error list under /open311/."""

import json
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.test import Client

from haicap.core.middleware import body_limit
from haicap.dossiers.models import OnlineSubmission
from haicap.dossiers.services import MAX_SUBMISSION_PAPERS
from haicap.dossiers.uploads import MAX_UPLOAD_BYTES
from haicap.feedback import photos
from haicap.feedback.api_inputs import MAX_PHOTO_BASE64
from haicap.feedback.models import Petition

PORTAL_FILING = "/thu-tuc/X.HT.007/nop-truc-tuyen/"
PETITION_FORM = "/phan-anh/gui/"
OPEN311_POST = "/open311/v2/requests.json"
API_FILING = "/api/v1/public/feedback/petitions"
MULTIPART = "multipart/form-data; boundary=BoUnDaRy"


class Unread:
    """A request body that fails the test if anything reads it."""

    def read(self, *args: object) -> bytes:
        raise AssertionError("the oversized body was read")

    readline = read


def oversized(path: str, content_type: str = MULTIPART, **extra):
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.77")
    return client.generic(
        "POST",
        path,
        content_type=content_type,
        CONTENT_LENGTH=str(body_limit(path) + 1),
        **{"wsgi.input": Unread()},
        **extra,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("path", [PORTAL_FILING, PETITION_FORM])
def test_an_oversized_filing_is_a_page_and_nothing_is_read_or_saved(path):
    response = oversized(path)
    assert response.status_code == 413
    page = response.content.decode()
    assert "Nội dung yêu cầu quá lớn" in page  # in Vietnamese, the default
    assert "hãy gửi ít tệp hơn hoặc tệp nhỏ hơn" in page
    assert not Petition.objects.exists() and not OnlineSubmission.objects.exists()


@pytest.mark.django_db
def test_an_oversized_open311_post_is_an_error_list_in_the_form_asked():
    response = oversized(OPEN311_POST)
    assert (response.status_code, response["Content-Type"]) == (
        413,
        "application/json; charset=utf-8",
    )
    assert json.loads(response.content) == [{"code": 413, "description": "Yêu cầu quá lớn."}]
    xml = oversized(OPEN311_POST.replace(".json", ".xml"))
    assert xml.status_code == 413 and xml["Content-Type"].startswith("text/xml")
    error = ElementTree.fromstring(xml.content).find("error")  # noqa: S314  (our own answer)
    assert (error.findtext("code"), error.findtext("description")) == ("413", "Yêu cầu quá lớn.")
    assert not Petition.objects.exists()


@pytest.mark.django_db
def test_an_oversized_api_filing_is_a_problem():
    response = oversized(API_FILING, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "too_large"
    assert not Petition.objects.exists()


@pytest.mark.django_db
def test_a_body_within_the_limit_goes_on_to_the_view():
    client = Client(REMOTE_ADDR="203.0.113.78")
    small = client.post(OPEN311_POST, {"service_code": "nothing-such"})
    assert small.status_code == 404  # the view: no such service (not the size)


def test_each_limit_takes_the_most_its_address_accepts():
    assert body_limit(PORTAL_FILING) > MAX_SUBMISSION_PAPERS * MAX_UPLOAD_BYTES
    assert body_limit(PETITION_FORM) > photos.MAX_PHOTOS * photos.MAX_PHOTO_BYTES
    assert body_limit(API_FILING) == settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert body_limit("/phan-anh/tra-cuu/") is None  # elsewhere Django's own limits apply
    # Known: the API's JSON limit is below five full-size photos in base64.
    assert photos.MAX_PHOTOS * MAX_PHOTO_BASE64 > settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def test_the_limit_is_checked_before_the_csrf_check_reads_the_form():
    chain = settings.MIDDLEWARE
    assert chain.index("haicap.core.middleware.BodySizeLimitMiddleware") < chain.index(
        "django.middleware.csrf.CsrfViewMiddleware"
    )
