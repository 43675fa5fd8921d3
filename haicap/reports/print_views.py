"""A submission as the administrative document the commune signs and sends: the Word file
officials edit and sign, and the PDF (``report_document``)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from haicap.reports import report_document, selectors

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _download(content: bytes, content_type: str, filename: str, inline: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def _name(report_id: int, number: int, suffix: str) -> str:
    return f"bao-cao-{report_id}-lan-{number}.{suffix}"


@login_required
def docx(request: HttpRequest, report_id: int, number: int) -> HttpResponse:
    paper = selectors.submission_paper(request.user, report_id, number)
    content = report_document.to_docx(paper)
    return _download(content, DOCX_CONTENT_TYPE, _name(report_id, number, "docx"), False)


@login_required
def pdf(request: HttpRequest, report_id: int, number: int) -> HttpResponse:
    paper = selectors.submission_paper(request.user, report_id, number)
    content = report_document.to_pdf(paper)
    return _download(content, "application/pdf", _name(report_id, number, "pdf"), True)
