"""Digitising the papers a desk receives, and reusing those the applicant's store already holds.

Decree 118/2025 Art. 17(1)(c): the one-stop desk digitises the paper dossier it receives and
keeps the digitised copies in the applicant's store for reuse; Circular 01/2023/TT-VPCP Art. 8:
one file per paper, its images the pages in order, their number checked. Circular 03/2025
Art. 5 exempts papers only shown at the desk, which therefore are not offered here. Decision
766/QĐ-TTg scores digitisation and reuse (group MDSH), hence the counts kept per dossier.

Who digitises: an intake officer of the desk that received the dossier, while it is open (the
commune centres' task of "receive, digitise" in Circular 03/2025).

What is digitised is judged per paper: Decree 118 Art. 17(1)(c) asks for the papers *received on
paper*. A paper uploaded with an online filing is already electronic and is not scanned again,
but a paper of an online dossier that the applicant brings to the desk on paper is received on
paper and is digitised like any other. Circular 03/2025 Art. 5 exempts e-filed dossiers; where it
reads as exempting the whole dossier, the Decree's per-paper wording was followed. The online form
does not say which upload is which paper of the list, so the officer, who sees the uploads next to
the list, digitises only what the applicant handed over on paper.
"""

import hashlib
import secrets

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from haicap.accounts.models import User
from haicap.accounts.services import require_writable
from haicap.core import clock
from haicap.core.audit import record_change
from haicap.core.errors import InvalidInput, NotFound, PermissionDenied
from haicap.core.masking import mask_citizen_id
from haicap.core.roles import Role
from haicap.core.scoping import scope_of
from haicap.dossiers import scans
from haicap.dossiers import uploads as uploads_rules
from haicap.dossiers.models import (
    ApplicantPaper,
    DigitisedPaper,
    Dossier,
    DossierDigitisation,
    DossierDocument,
)
from haicap.dossiers.selectors import papers_to_digitise, store_holder, visible_dossiers
from haicap.dossiers.services.documents import inspect_upload
from haicap.dossiers.services.events import append_event
from haicap.dossiers.upload_refusals import refusal_message

DIGITISED = "digitise_paper"
REUSED = "reuse_paper"
PDF = uploads_rules.Kind("application/pdf", ".pdf")


def digitise_paper(
    actor: User, code: str, paper: str, uploads: list[UploadedFile], counted_pages: int | None
) -> DigitisedPaper:
    """Make the scanned pages of one paper of the procedure's list into one PDF, one image per
    page, check its pages against the officer's count, keep it on the dossier and in the
    applicant's store. Nothing is kept when anything is refused."""
    require_writable(actor)
    dossier = _desk_dossier(actor, code)
    paper = _paper_of(dossier, paper)
    if counted_pages is None or counted_pages < 1:
        raise InvalidInput(_("Enter the number of pages you counted on the paper."))
    if not uploads:
        raise InvalidInput(_("Choose the scanned pages of the paper."))
    parts = []
    for upload in uploads:
        try:
            inspect_upload(upload)
        except uploads_rules.RefusedUpload as error:
            raise InvalidInput(refusal_message(upload.name or paper, error)) from error
        parts.append(upload.read())
        upload.seek(0)
    try:
        scan = scans.build_scan(parts, counted_pages)
    except scans.RefusedScan as refusal:
        raise InvalidInput(_scan_refusal(refusal, uploads, counted_pages)) from refusal
    with transaction.atomic():
        dossier = _locked(dossier)
        _not_yet(dossier, paper)
        document = DossierDocument(
            dossier=dossier,
            token=secrets.token_hex(16),
            name=paper,
            content_type=PDF.content_type,
            extension=PDF.extension,
            size=len(scan.pdf),
            sha256=hashlib.sha256(scan.pdf).hexdigest(),
            uploaded_by=actor,
            uploaded_at=clock.now(),
        )
        document.file.save(f"scan{PDF.extension}", ContentFile(scan.pdf), save=False)
        document.save()
        holder = store_holder(dossier)
        stored = None
        if holder:  # an applicant with no ID number has no store to keep it in
            stored = ApplicantPaper.objects.create(
                holder=holder,
                paper=paper,
                pages=scan.pages,
                document=document,
                dossier=dossier,
                stored_at=document.uploaded_at,
                stored_by=actor,
            )
        digitised = _record(dossier, actor, paper, scan.pages, document, None, DIGITISED)
        record_change(
            "dossier.paper_digitised",
            digitised,
            actor=actor,
            after={
                "dossier": dossier.code,
                "paper": paper,
                "pages": scan.pages,
                "sha256": document.sha256,
                "stored_for": mask_citizen_id(holder) if stored else "",
            },
        )
    return digitised


def reuse_stored_paper(actor: User, code: str, stored_id: int) -> DigitisedPaper:
    """Take a copy from the applicant's store for a paper this dossier asks for: recorded as
    reused on the dossier and in its events; the new dossier document points at the stored
    file, so no byte is copied."""
    require_writable(actor)
    dossier = _desk_dossier(actor, code)
    holder = store_holder(dossier)
    stored = (
        ApplicantPaper.objects.restrict(actor)
        .select_related("document")
        .filter(pk=stored_id, holder=holder)
        .first()
        if holder
        else None
    )
    if stored is None:
        raise NotFound()
    paper = _paper_of(dossier, stored.paper)
    with transaction.atomic():
        dossier = _locked(dossier)
        _not_yet(dossier, paper)
        source = stored.document
        document = DossierDocument.objects.create(
            dossier=dossier,
            token=secrets.token_hex(16),
            name=paper,
            content_type=source.content_type,
            extension=source.extension,
            size=source.size,
            sha256=source.sha256,
            file=source.file.name,  # the same stored file: a reuse copies no bytes
            uploaded_by=actor,
            uploaded_at=clock.now(),
        )
        digitised = _record(dossier, actor, paper, stored.pages, document, stored, REUSED)
        record_change(
            "dossier.paper_reused",
            digitised,
            actor=actor,
            after={
                "dossier": dossier.code,
                "paper": paper,
                "from_dossier": stored.dossier.code,
                "stored_for": mask_citizen_id(holder),
            },
        )
    return digitised


def may_digitise(actor: User, dossier: Dossier) -> bool:
    """Whether the actor digitises this dossier's papers: an intake officer of the desk that
    received it, while it is open. An online dossier is no exception: the papers its applicant
    brings on paper are received on paper (Decree 118/2025 Art. 17(1)(c), see above)."""
    scope = scope_of(actor)
    return (
        dossier.is_open
        and not scope.read_only
        and Role.INTAKE_OFFICER in scope.roles_in(dossier.receiving_agency_id)
    )


def _desk_dossier(actor: User, code: str) -> Dossier:
    dossier = (
        visible_dossiers(actor)
        .select_related("procedure", "competent_agency__unit")
        .filter(code=code)
        .first()
    )
    if dossier is None:
        raise NotFound()
    if not dossier.is_open:
        raise InvalidInput(_("The dossier is finished: its papers are no longer digitised."))
    if not may_digitise(actor, dossier):
        raise PermissionDenied(_("Only the desk that received the dossier digitises its papers."))
    return dossier


def _paper_of(dossier: Dossier, paper: str) -> str:
    paper = paper.strip()
    if paper not in papers_to_digitise(dossier.procedure):
        raise InvalidInput(_("Choose a paper of the procedure's list to digitise."))
    return paper


def _locked(dossier: Dossier) -> Dossier:
    # The row lock orders two officers' digitisations of one dossier (events' next number).
    return Dossier.objects.select_for_update().get(pk=dossier.pk)


def _not_yet(dossier: Dossier, paper: str) -> None:
    if DigitisedPaper.objects.filter(dossier=dossier, paper=paper).exists():
        raise InvalidInput(_already(paper))


def _already(paper: str) -> str:
    return _("“%(paper)s” is already digitised for this dossier.") % {"paper": paper}


def _record(
    dossier: Dossier,
    actor: User,
    paper: str,
    pages: int,
    document: DossierDocument,
    reused_from: ApplicantPaper | None,
    action: str,
) -> DigitisedPaper:
    """The paper on the dossier, its event (the state does not move) and the dossier's counts."""
    data = {"paper": paper, "pages": pages, "document": document.pk}
    if reused_from is not None:
        data["from_dossier"] = reused_from.dossier.code
    event = append_event(
        dossier, actor, action, dossier.step, dossier.step, "keep", "", None, data, ""
    )
    # The paper came with this event: it is no loose paper an action (a draft result) may claim.
    document.event = event
    document.save(update_fields=["event"])
    try:
        with transaction.atomic():
            digitised = DigitisedPaper.objects.create(
                dossier=dossier,
                paper=paper,
                pages=pages,
                document=document,
                reused_from=reused_from,
                event=event,
            )
    except IntegrityError as error:  # digitised by another officer a moment before
        raise InvalidInput(_already(paper)) from error
    tally, _created = DossierDigitisation.objects.get_or_create(
        dossier=dossier, defaults={"papers_asked": len(papers_to_digitise(dossier.procedure))}
    )
    DossierDigitisation.objects.filter(pk=tally.pk).update(
        papers_digitised=F("papers_digitised") + 1,
        papers_reused=F("papers_reused") + (1 if reused_from is not None else 0),
    )
    return digitised


def _scan_refusal(refusal: scans.RefusedScan, uploads: list[UploadedFile], counted: int) -> str:
    """The pure core's refusal in the reader's language, naming the file at fault."""
    name = uploads[refusal.part - 1].name if 0 < refusal.part <= len(uploads) else ""
    if refusal.reason == "count_mismatch":
        return _(
            "The scan has %(pages)d pages but you counted %(counted)d: check the paper and scan "
            "it again. Nothing was kept."
        ) % {"pages": refusal.pages, "counted": counted}
    if refusal.reason == "not_scanned":
        return _("“%(name)s” has a page that is not a scanned image.") % {"name": name}
    if refusal.reason == "too_many_pages":
        return _("One paper has at most %(limit)d pages: digitise a thicker bundle as several.") % {
            "limit": scans.MAX_PAGES
        }
    if refusal.reason == "too_big":
        return _("The scanned pages of one paper are larger than %(limit)s together.") % {
            "limit": filesizeformat(scans.MAX_SCAN_BYTES)
        }
    if refusal.reason == "no_pages":
        return _("Choose the scanned pages of the paper.")
    return _("“%(name)s” cannot be read as a scanned image or PDF.") % {"name": name}
