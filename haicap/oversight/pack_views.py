"""The briefing pack of an inspection: the page, and the same tables as PDF and Excel."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from haicap.core.exports import workbook_response
from haicap.core.replica import reads_from_replica
from haicap.dossiers.printing import pdf_response
from haicap.oversight import pack_files, selectors


def _pack(request: HttpRequest, inspection_id: int) -> selectors.BriefingPack:
    inspection = selectors.get_inspection(request.user, inspection_id)
    return selectors.briefing_pack(request.user, inspection)


def _filename(pack: selectors.BriefingPack, extension: str) -> str:
    return f"tai-lieu-kiem-tra-{pack.inspection.pk}-{pack.inspection.held_on:%Y%m%d}.{extension}"


@login_required
@reads_from_replica
def briefing_pack(request: HttpRequest, inspection_id: int) -> HttpResponse:
    pack = _pack(request, inspection_id)
    context = {
        "pack": pack,
        "inspection": pack.inspection,
        "title": pack_files.title_of(pack),
        "period": pack_files.period_of(pack),
    }
    return render(request, "oversight/briefing_pack.html", context)


@login_required
@reads_from_replica
def briefing_pack_pdf(request: HttpRequest, inspection_id: int) -> HttpResponse:
    pack = _pack(request, inspection_id)
    return pdf_response(pack_files.pack_document(pack), _filename(pack, "pdf"))


@login_required
@reads_from_replica
def briefing_pack_xlsx(request: HttpRequest, inspection_id: int) -> HttpResponse:
    pack = _pack(request, inspection_id)
    return workbook_response(_filename(pack, "xlsx"), pack_files.pack_workbook(pack))
