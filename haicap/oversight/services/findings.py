"""Recording what an inspection found, with its evidence."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from haicap.accounts.models import User
from haicap.catalog.models import Field
from haicap.core import clock
from haicap.core.audit import record_change, snapshot
from haicap.core.errors import Conflict, InvalidInput
from haicap.core.validators import check_text
from haicap.dossiers.attachments import checked_papers, paper_fields
from haicap.oversight import links
from haicap.oversight.models import Finding, FindingLink, FindingPaper, Inspection
from haicap.oversight.services import retries
from haicap.oversight.services.inspections import locked_inspection
from haicap.oversight.services.permissions import require_manager
from haicap.units.models import AdministrativeUnit, Agency


@dataclass(frozen=True)
class FindingSpec:
    commune: AdministrativeUnit
    category: str
    text: str
    agency_to_act: Agency
    field: Field | None = None
    field_text: str = ""
    links: Sequence[tuple[str, str]] = ()  # (a relative address within haicap, its label)
    papers: Sequence[UploadedFile] = ()


def checked_link(text: str) -> str:
    """A link within haicap: relative, and to one of its pages."""
    try:
        link = links.relative_link(text)
    except links.NotALink as refusal:
        if refusal.reason == "empty":
            raise InvalidInput(_("Give the link's address.")) from refusal
        if refusal.reason == "too_long":
            raise InvalidInput(_("The link is too long.")) from refusal
        raise InvalidInput(
            _("A link must be an address within haicap, starting with a single /.")
        ) from refusal
    try:
        resolve(links.path_of(link))
    except Resolver404 as error:
        raise InvalidInput(
            _("No page of haicap has the address %(link)s.") % {"link": link}
        ) from error
    return link


def record_finding(
    actor: User, inspection: Inspection, spec: FindingSpec, *, idempotency_key: str = ""
) -> Finding:
    """Record a difficulty found in a commune the inspection visits, with its evidence (once per
    ``idempotency_key``)."""
    if idempotency_key:
        return retries.once(
            actor,
            idempotency_key,
            retries.Kind.FINDING,
            {"inspection": inspection, "spec": spec},
            lambda: record_finding(actor, inspection, spec),
        )
    require_manager(actor, inspection.group)
    check_text("text", spec.text, multiline=True)
    check_text("field_text", spec.field_text)
    if spec.category not in Finding.Category.values:
        raise InvalidInput(_("There is no category %(category)s.") % {"category": spec.category})
    if not spec.text.strip():
        raise InvalidInput(_("Say what was found."))
    if (
        spec.category == Finding.Category.STAFF_SHORTAGE
        and spec.field is None
        and not spec.field_text.strip()
    ):
        raise InvalidInput(_("Name the field that is short of specialised staff."))
    checked_links = [(checked_link(url), label.strip()) for url, label in spec.links]
    for _url, label in checked_links:
        check_text("label", label)
    papers = checked_papers(spec.papers)
    with transaction.atomic():
        inspection = locked_inspection(inspection)
        if inspection.state != Inspection.State.IN_PROGRESS:
            raise Conflict(_("Findings are recorded while the inspection is in progress."))
        if not inspection.communes.filter(pk=spec.commune.pk).exists():
            raise InvalidInput(
                _("The inspection does not visit %(unit)s.") % {"unit": spec.commune}
            )
        finding = Finding.objects.create(
            inspection=inspection,
            commune=spec.commune,
            category=spec.category,
            field=spec.field,
            field_text=spec.field_text.strip(),
            text=spec.text.strip(),
            agency_to_act=spec.agency_to_act,
            recorded_at=clock.now(),
            recorded_by=actor,
        )
        for url, label in checked_links:
            FindingLink.objects.create(finding=finding, url=url, label=label[:200])
        for upload, kind, sha256 in papers:
            paper = FindingPaper(
                finding=finding, uploaded_by=actor, **paper_fields(upload, kind, sha256)
            )
            paper.file.save(f"upload{paper.extension}", upload, save=False)
            paper.save()
        record_change(
            "finding.recorded",
            finding,
            actor=actor,
            after={
                **snapshot(finding),
                "links": [url for url, _label in checked_links],
                "papers": [sha256 for _u, _k, sha256 in papers],
            },
        )
    return finding
