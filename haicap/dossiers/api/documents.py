"""The papers of a dossier: adding one, reading one."""

from django.http import FileResponse, HttpRequest
from ninja import File, Form, Router
from ninja.files import UploadedFile
from ninja.responses import Status

from haicap.core.api import BODY_ERRORS, RecordId, SingleLine, errors
from haicap.dossiers import selectors, services
from haicap.dossiers.api.dossiers import DocumentOut
from haicap.dossiers.downloads import paper_response

router = Router()

UPLOAD = File(..., description="the paper: PDF, PNG or JPEG")
DOCUMENT_NAME = Form("", max_length=200, description="what the paper is; the file name if empty")


@router.post(
    "/dossiers/{code}/documents",
    operation_id="haicap_dossiers_api_add_document",
    response={201: DocumentOut, **errors(401, 403, 404, *BODY_ERRORS)},
    summary="Add a paper to a dossier (PDF, PNG or JPEG, at most 10 MB)",
)
def add_document(
    request: HttpRequest, code: str, file: UploadedFile = UPLOAD, name: SingleLine = DOCUMENT_NAME
) -> Status:
    document = services.attach_document(request.user, code, name, file)
    return Status(201, DocumentOut.of(document))


@router.get(
    "/dossiers/{code}/documents/{document_id}",
    operation_id="haicap_dossiers_api_get_document",
    response={**errors(401, 404, 422)},
    summary="One paper of a dossier",
    openapi_extra={"responses": {"200": {"description": "the file"}}},
)
def get_document(request: HttpRequest, code: str, document_id: RecordId) -> FileResponse:
    return paper_response(selectors.document_of(request.user, code, document_id))
