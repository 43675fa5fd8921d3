"""The dossier operations keep their operation ids, whichever module of ``dossiers.api`` holds
them: clients generated from the schema name their methods after them."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

DOSSIER_OPERATIONS = {
    "POST /api/v1/dossiers": "create_dossier",
    "GET /api/v1/dossiers": "list_dossiers",
    "GET /api/v1/dossiers/{code}": "get_dossier",
    "POST /api/v1/dossiers/{code}/actions": "act_on_dossier",
    "GET /api/v1/dossiers/{code}/forms/{form}": "dossier_form",
    "POST /api/v1/dossiers/{code}/slip": "reprint_slip",
    "GET /api/v1/agencies/{agency_id}/log-book": "log_book",
    "GET /api/v1/submissions": "pending_submissions",
    "POST /api/v1/submissions/{submission_id}/accept": "accept",
    "POST /api/v1/submissions/{submission_id}/return": "give_back",
    "POST /api/v1/dossiers/{code}/documents": "add_document",
    "GET /api/v1/dossiers/{code}/documents/{document_id}": "get_document",
    "POST /api/v1/public/dossiers/{code}/lookup": "public_dossier",
    "POST /api/v1/public/submissions": "submit",
    "POST /api/v1/public/submissions/{reference}/lookup": "public_submission",
}


def test_the_dossier_operations_keep_their_ids_and_order():
    schema = Client().get("/api/v1/openapi.json").json()
    ids = {
        f"{method.upper()} {path}": operation["operationId"]
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if operation["operationId"].startswith("haicap_dossiers_api_")
    }
    assert ids == {k: f"haicap_dossiers_api_{v}" for k, v in DOSSIER_OPERATIONS.items()}
    assert list(ids) == list(DOSSIER_OPERATIONS)  # the staff's in their order, then the public's
