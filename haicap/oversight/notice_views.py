"""A concluded inspection's notice, as the Word file officials edit and sign, and as PDF."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from haicap.oversight import notice
from haicap.oversight.conclusion_notice import notice_of

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _download(content: bytes, content_type: str, filename: str, inline: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@login_required
def notice_docx(request: HttpRequest, inspection_id: int) -> HttpResponse:
    content = notice.to_docx(notice_of(request.user, inspection_id))
    return _download(content, DOCX_CONTENT_TYPE, f"thong-bao-ket-luan-{inspection_id}.docx", False)


@login_required
def notice_pdf(request: HttpRequest, inspection_id: int) -> HttpResponse:
    content = notice.to_pdf(notice_of(request.user, inspection_id))
    return _download(content, "application/pdf", f"thong-bao-ket-luan-{inspection_id}.pdf", True)
