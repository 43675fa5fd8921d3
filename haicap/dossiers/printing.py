"""Printed papers over HTTP, for every page and API that prints: a PDF sent inline, and the
public look-up address a slip's QR code carries."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from haicap.dossiers import pdf


def lookup_url(request: HttpRequest, code: str) -> str:
    """Where the slip's QR code leads: the public look-up page, with the code filled in."""
    base = settings.PUBLIC_BASE_URL or request.build_absolute_uri("/").rstrip("/")
    return f"{base}{reverse('portal:dossier_lookup')}?{urlencode({'ma': code})}"


def pdf_response(document: pdf.FormDocument, filename: str) -> HttpResponse:
    response = HttpResponse(pdf.render(document), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
