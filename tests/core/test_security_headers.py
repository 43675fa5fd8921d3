"""The headers every response carries: the Content-Security-Policy and the frame policy, and
HSTS behind HTTPS."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from haicap.catalog.models import Procedure
from haicap.dossiers import services
from haicap.dossiers.applicant import Applicant
from haicap.units.models import Agency
from tests.conftest import client_for

ROOT = Path(__file__).resolve().parents[2]
STRICT = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
]


def directives(response) -> set[str]:
    return {part.strip() for part in response["Content-Security-Policy"].split(";")}


# --- Content-Security-Policy ---------------------------------------------------------------

PAGES = {
    "public site": (None, "/"),
    "public dossier look-up": (None, "/tra-cuu-ho-so/"),
    "sign-in page": (None, "/desk/login/"),
    "desk": ("tiepnhan.doluong", "/desk/"),
    "intake": ("tiepnhan.doluong", "/desk/tiep-nhan/"),
    "administration": ("admin", "/desk/admin/"),
    "API": ("admin", "/api/v1/me"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
def test_every_page_carries_the_strict_policy(page):
    username, url = PAGES[page]
    client = client_for(username) if username else Client()
    response = client.get(url)
    assert response.status_code == 200
    assert set(STRICT) <= directives(response)
    assert "unsafe" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_only_the_desk_s_printed_forms_may_be_framed_and_only_by_haicap(user):
    code = services.receive(
        user("tiepnhan.doluong"),
        procedure=Procedure.objects.get(national_code="X.HT.007"),
        receiving_agency=Agency.objects.get(code="17662.05.H40"),
        applicant=Applicant(name="Nguyễn Thị Mai", id_number="040195012345"),
    ).dossier.code
    desk = client_for("tiepnhan.doluong")
    slip = desk.get(reverse("desk:dossier_form", args=[code, "01"]))
    assert slip["Content-Type"] == "application/pdf"
    assert slip["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in directives(slip)
    page = desk.get(reverse("desk:dossier", args=[code]))
    assert page["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in directives(page)


@pytest.mark.django_db
def test_the_api_documentation_runs_under_the_same_strict_policy():
    # Swagger UI comes from django-ninja's installed files and starts from a static script.
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    assert set(STRICT) <= directives(response)
    assert "https:" not in response["Content-Security-Policy"]
    assert "unsafe" not in response["Content-Security-Policy"]
    assert not re.search(r"<script>", response.content.decode())


TEMPLATES = sorted(ROOT.glob("haicap/**/templates/**/*.html"))
# What a strict policy refuses to run: inline handlers, javascript: links, inline scripts
# (a script element with no src and no data type) and style attributes or elements.
INLINE_CODE = re.compile(
    r"""\son[a-z]+\s*=|javascript:|<script(?![^>]*\b(src|type="application/json")\b)[^>]*>"""
    r"""|\sstyle\s*=|<style""",
    re.IGNORECASE,
)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_carries_code_the_policy_would_refuse(template):
    assert not INLINE_CODE.search(template.read_text())


# --- HSTS ------------------------------------------------------------------------------------


def settings_with(**environment: str) -> str:
    """SECURE_HSTS_SECONDS as settings compute it in a fresh process with this environment."""
    env = {k: v for k, v in os.environ.items() if k != "HAICAP_SECURE_COOKIES"}
    env.update(environment, PYTHONPATH=str(ROOT))
    script = "import haicap.settings as s; print(s.SECURE_HSTS_SECONDS)"
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_hsts_is_on_with_secure_cookies_and_off_without():
    assert settings_with(HAICAP_SECURE_COOKIES="1") == str(365 * 24 * 60 * 60)
    assert settings_with() == "0"


@pytest.mark.django_db
def test_behind_https_the_browser_is_told_to_use_nothing_else():
    assert "Strict-Transport-Security" not in Client().get("/", secure=True)
    with override_settings(SECURE_HSTS_SECONDS=31_536_000):
        response = Client().get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000"
