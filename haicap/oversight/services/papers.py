"""Files kept as evidence or attached to updates: checked as the dossiers' papers are
(``haicap.dossiers.uploads``), by their content."""

import secrets
from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile

from haicap.core import clock
from haicap.core.errors import InvalidInput
from haicap.core.validators import check_text
from haicap.dossiers import uploads as upload_rules
from haicap.dossiers.services.documents import inspect_upload
from haicap.dossiers.upload_refusals import refusal_message


def checked_papers(papers: Sequence[UploadedFile]) -> list[tuple[UploadedFile, object, str]]:
    checked = []
    for upload in papers:
        try:
            kind, sha256 = inspect_upload(upload)
        except upload_rules.RefusedUpload as error:
            raise InvalidInput(refusal_message(upload.name or "", error)) from error
        checked.append((upload, kind, sha256))
    return checked


def paper_fields(upload: UploadedFile, kind: object, sha256: str) -> dict:
    name = (upload.name or "").strip() or "upload"
    check_text("file name", name)
    return {
        "token": secrets.token_hex(16),
        "name": name[:200],
        "content_type": kind.content_type,
        "extension": kind.extension,
        "size": upload.size,
        "sha256": sha256,
        "uploaded_at": clock.now(),
    }
