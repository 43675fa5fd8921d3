"""The electronic result: when the competent agency's leader approves, the result it issues is
made as a PDF, signed with the issuing body's certificate (PAdES B-B) and kept with the dossier.

Decree 118/2025 Art. 22 (electronic results); Decree 45/2020/NĐ-CP Arts. 14 and 16 as amended
by Decree 118 Art. 40 (the electronic result is kept in the applicant's data store for reuse).
``act`` asks for ``signing_credentials`` and signs before it changes anything, then keeps the
result in its transaction, so an agency that cannot sign leaves the dossier exactly as it was.
"""

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Q
from django.urls import reverse

from haicap.accounts.models import User
from haicap.calendar.workdays import VIETNAM
from haicap.core.audit import record_change
from haicap.dossiers import pades, pdf, signing
from haicap.dossiers.models import (
    Dossier,
    DossierDocument,
    DossierEvent,
    ResultNumberSequence,
    SignedResult,
)
from haicap.dossiers.result_paper import TYPE_CODE, body_name, issuing_body, result_document
from haicap.dossiers.services.intake import _next_in
from haicap.dossiers.signing_capacity import document_number
from haicap.workflow.engine import Move, StepKind

RESULT_NAME = "Kết quả giải quyết (bản điện tử đã ký số)"
REASON = "Kết quả giải quyết thủ tục hành chính"


def issues_result(move: Move) -> bool:
    """The move that issues the result: into a step where it waits to be handed back."""
    return move.target.kind == StepKind.DONE


def signing_credentials(dossier: Dossier, move: Move) -> signing.Credentials | None:
    """The issuing body's credentials when this move issues a result that must be signed;
    raises ``SigningUnavailable`` (before anything is written) when it has none.

    The body in whose name the result is issued signs it (a commune's result: the commune
    People's Committee, not its office that prepared the dossier; a department's: the
    department), so the certificate names the same body as the paper's header."""
    if not (issues_result(move) and signing.required()):
        return None
    return signing.credentials_for(issuing_body(dossier.competent_agency))


def public_lookup_url(code: str) -> str:
    """The public look-up address printed on the result, when the public address is known."""
    if not settings.PUBLIC_BASE_URL:
        return ""
    return f"{settings.PUBLIC_BASE_URL}{reverse('portal:dossier_lookup')}?{urlencode({'ma': code})}"


def result_papers(dossier: Dossier, document_ids: list[int]) -> list[DossierDocument]:
    """The papers the result consists of: those the specialist last submitted for approval,
    and any the approving action names."""
    submitted = dossier.events.filter(action="submit").order_by("-seq").first()
    named = Q(pk__in=document_ids, event__isnull=True)
    if submitted is not None:
        named |= Q(event=submitted)
    return list(DossierDocument.objects.filter(dossier=dossier).filter(named).order_by("pk"))


@dataclass(frozen=True)
class IssuedResult:
    signed: pades.Signed
    number: str  # "12/TB-UBND", as printed


def sign_result(
    dossier: Dossier,
    actor: User,
    at: dt.datetime,
    note: str,
    papers: list[DossierDocument],
    credentials: signing.Credentials,
) -> IssuedResult:
    """The result PDF the issuing body issues at ``at``, numbered in its year and signed with
    that body's certificate at that moment. Runs in the approving transaction: the number
    comes from the body's locked yearly sequence, so two approvals never share one."""
    agency = dossier.competent_agency
    body = issuing_body(agency)
    year = at.astimezone(VIETNAM).year
    sequence = _next_in(ResultNumberSequence, agency=body, year=year)
    number = document_number(sequence, TYPE_CODE, body_name(body))
    document = result_document(
        dossier, actor, at, papers, note, public_lookup_url(dossier.code), number
    )
    signed = pades.sign(
        pdf.render(document),
        credentials.pkcs12,
        credentials.passphrase,
        reason=REASON,
        location=agency.unit.full_name,
        name=actor.full_name or actor.get_username(),
        at=at,
    )
    return IssuedResult(signed, number)


def event_record(issued: IssuedResult) -> dict[str, str]:
    """What the approving event's history says of the signing."""
    signed = issued.signed
    return {
        "level": pades.LEVEL,
        "number": issued.number,
        "signer": signed.signer,
        "certificate_serial": signed.serial,
        "sha256": hashlib.sha256(signed.pdf).hexdigest(),
    }


def keep_result(
    dossier: Dossier, actor: User, event: DossierEvent, issued: IssuedResult
) -> SignedResult:
    """Keep the signed PDF as a paper of the approving event; audited."""
    signed = issued.signed
    paper = DossierDocument(
        dossier=dossier,
        event=event,
        token=secrets.token_hex(16),
        name=RESULT_NAME,
        content_type="application/pdf",
        extension=".pdf",
        size=len(signed.pdf),
        sha256=hashlib.sha256(signed.pdf).hexdigest(),
        uploaded_by=actor,
        uploaded_at=event.at,
    )
    paper.file.save("ket-qua.pdf", ContentFile(signed.pdf), save=False)
    paper.save()
    result = SignedResult.objects.create(
        dossier=dossier,
        document=paper,
        event=event,
        agency=issuing_body(dossier.competent_agency),  # whose certificate signed it
        level=pades.LEVEL,
        signer=signed.signer[:400],
        certificate_serial=signed.serial,
        certificate_sha256=signed.fingerprint,
        signed_at=event.at,
        number=issued.number,
    )
    record_change(
        "dossier.result_signed",
        result,
        actor=actor,
        after={"dossier": dossier.code, **event_record(issued)},
    )
    return result
