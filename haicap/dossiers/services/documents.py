"""The papers of a dossier: keeping one an officer adds, after checking what it is."""

import hashlib
import secrets

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from haicap.accounts.models import User
from haicap.accounts.services import require_writable
from haicap.core import clock
from haicap.core.audit import record_change
from haicap.core.errors import InvalidInput, NotFound, PermissionDenied
from haicap.core.validators import check_text
from haicap.dossiers import uploads as uploads_rules
from haicap.dossiers.models import DossierDocument
from haicap.dossiers.selectors import visible_dossiers
from haicap.dossiers.services.actions import acting_roles
from haicap.dossiers.upload_refusals import refusal_message


def attach_document(actor: User, code: str, name: str, upload: UploadedFile) -> DossierDocument:
    """Keep a paper of the dossier; an action that needs a document names it afterwards."""
    require_writable(actor)
    dossier = visible_dossiers(actor).filter(code=code).first()
    if dossier is None:
        raise NotFound()
    if not acting_roles(actor, dossier):
        raise PermissionDenied(_("Only officers handling the dossier add papers to it."))
    name = name.strip() or upload.name or ""
    check_text("name", name)
    if not name:
        raise InvalidInput(_("Give the paper a name."))
    try:
        kind, sha256 = inspect_upload(upload)
    except uploads_rules.RefusedUpload as error:
        raise InvalidInput(refusal_message(upload.name or name, error)) from error
    with transaction.atomic():
        document = DossierDocument(
            dossier=dossier,
            token=secrets.token_hex(16),
            name=name[:200],
            content_type=kind.content_type,
            extension=kind.extension,
            size=upload.size,
            sha256=sha256,
            uploaded_by=actor,
            uploaded_at=clock.now(),
        )
        document.file.save(f"upload{kind.extension}", upload, save=False)
        document.save()
        record_change(
            "dossier.document_added",
            document,
            actor=actor,
            after={"dossier": dossier.code, "name": document.name, "sha256": document.sha256},
        )
    return document


def inspect_upload(upload: UploadedFile) -> tuple[uploads_rules.Kind, str]:
    """An uploaded paper's kind (read from its first bytes) and SHA-256; refuses what may not
    be kept."""
    head = upload.read(16)
    upload.seek(0)
    kind = uploads_rules.kind_of(head, upload.size or 0)
    return kind, sha256_of(upload)


def sha256_of(upload: UploadedFile) -> str:
    """The upload's SHA-256, read in chunks; the upload is left at its start."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
