"""Files attached to records other than a dossier's papers (a finding's evidence, a directive's
update, a petition's answer): judged by their content with the shared upload rules
(``haicap.dossiers.uploads``), which take the dossiers' kinds and the Word and Excel files
agencies write in (haicap's choice: no text prescribes a format for a department's report to a
working group, or for an answer's enclosures)."""

import secrets
from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile

from haicap.core import clock
from haicap.core.errors import InvalidInput
from haicap.core.validators import check_text
from haicap.dossiers import uploads as upload_rules
from haicap.dossiers.services.documents import sha256_of
from haicap.dossiers.upload_refusals import refusal_message


def checked_papers(
    papers: Sequence[UploadedFile],
) -> list[tuple[UploadedFile, upload_rules.Kind, str]]:
    """Each paper with its kind and SHA-256; the first one refused stops all, nothing is kept."""
    checked = []
    for upload in papers:
        try:
            kind = upload_rules.attachment_kind_of(upload.name or "", upload, upload.size or 0)
        except upload_rules.RefusedUpload as error:
            raise InvalidInput(refusal_message(upload.name or "", error)) from error
        checked.append((upload, kind, sha256_of(upload)))
    return checked


def paper_fields(upload: UploadedFile, kind: upload_rules.Kind, sha256: str) -> dict:
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
