"""Progress reported on a directive: a new row each time, never an edit."""

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from haicap.accounts.models import User
from haicap.accounts.services import require_writable
from haicap.core import clock
from haicap.core.audit import record_change
from haicap.core.errors import Conflict, InvalidInput, PermissionDenied
from haicap.core.validators import check_text
from haicap.dossiers.attachments import checked_papers, paper_fields
from haicap.dossiers.services.retries import check_retry, request_digest
from haicap.oversight.models import Directive, DirectiveUpdate, UpdatePaper
from haicap.oversight.services.directives import locked_directive
from haicap.oversight.services.permissions import works_for
from haicap.units.models import Agency


def reporting_agency(actor: User, directive: Directive) -> Agency | None:
    """The agency an update by ``actor`` reports for: the lead agency if they work for it,
    else the first supporting agency they work for; None when they work for neither."""
    if works_for(actor, directive.lead_agency):
        return directive.lead_agency
    for agency in directive.supporting_agencies.select_related("unit").order_by("pk"):
        if works_for(actor, agency):
            return agency
    return None


def post_update(
    actor: User,
    directive: Directive,
    *,
    text: str,
    percent: int | None = None,
    papers: Sequence[UploadedFile] = (),
    idempotency_key: str = "",
) -> DirectiveUpdate:
    """Report progress on a directive, as its lead or a supporting agency. Each update is a new
    row; a retry with the same ``idempotency_key`` returns the update it made."""
    require_writable(actor)
    check_text("text", text, multiline=True)
    check_text("idempotency_key", idempotency_key)
    if not text.strip():
        raise InvalidInput(_("Say what was done."))
    if percent is not None and not 0 <= percent <= 100:
        raise InvalidInput(_("A share is from 0 to 100%."))
    checked = checked_papers(papers)
    digest = request_digest(
        actor=actor.pk,
        text=text.strip(),
        percent=percent,
        papers=sorted(sha256 for _u, _k, sha256 in checked),
    )
    with transaction.atomic():
        directive = locked_directive(directive)
        if idempotency_key:
            earlier = directive.updates.filter(idempotency_key=idempotency_key).first()
            if earlier is not None:
                check_retry(
                    earlier.request_digest,
                    digest,
                    _("The Idempotency-Key %(key)s was already used for another update.")
                    % {"key": idempotency_key},
                )
                return earlier
        agency = reporting_agency(actor, directive)
        if agency is None:
            raise PermissionDenied(
                _("Progress is reported by the directive's lead and supporting agencies.")
            )
        if directive.closed_at is not None:
            raise Conflict(_("The directive is closed."))
        update = DirectiveUpdate.objects.create(
            directive=directive,
            at=clock.now(),
            by=actor,
            agency=agency,
            text=text.strip(),
            percent=percent,
            idempotency_key=idempotency_key,
            request_digest=digest if idempotency_key else "",
        )
        for upload, kind, sha256 in checked:
            paper = UpdatePaper(update=update, **paper_fields(upload, kind, sha256))
            paper.file.save(f"upload{paper.extension}", upload, save=False)
            paper.save()
        record_change(
            "directive.update_posted",
            update,
            actor=actor,
            after={
                "directive": directive.pk,
                "agency": agency.pk,
                "text": update.text,
                "percent": percent,
                "papers": [sha256 for _u, _k, sha256 in checked],
            },
        )
    return update
