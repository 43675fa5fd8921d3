"""The transfer pages: the batches, drafting one, and one batch with the check's verdict on top
(each difference explained and linked to its project's rows), its entries by project with
subtotals, the province's totals before and after, the projects waiting for an investor, the
corrections of a draft and the approval; its entries as Excel.

Only the province's readers see a batch (404 for others). Finance's officers draft and correct,
its leaders approve. A correction sent by htmx answers the page, of which htmx keeps the batch's
part; without script the form posts and comes back to the page.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haicap.budget import selectors, transfer_selectors
from haicap.budget.models import Level, Source, reads_capital
from haicap.budget.money import format_vnd
from haicap.budget.permissions import approves_capital, arranges_capital
from haicap.budget.services import transfer as services
from haicap.budget.services.projects import today
from haicap.budget.transfer_export import transfer_workbook
from haicap.budget.transfer_forms import AmountForm, ApprovalForm, DraftForm, EntryForm
from haicap.core.errors import DomainError, InvalidInput
from haicap.core.exports import workbook_response
from haicap.core.htmx import varies_with_htmx
from haicap.core.scoping import scope_of

# --- the list -----------------------------------------------------------------------------------


def _draft_form(request: HttpRequest, data=None) -> DraftForm:
    return DraftForm(
        data,
        plans=transfer_selectors.draftable_plans(request.user),
        districts=transfer_selectors.former_districts(request.user),
    )


def _list(
    request: HttpRequest, form: DraftForm | None = None, error: str = "", status: int = 200
) -> HttpResponse:
    user = request.user
    drafting = arranges_capital(user)
    provincial = reads_capital(scope_of(user))
    context = {
        "provincial": provincial,
        # one who is not the province's sees what reached its projects, from the ledger
        "received": [] if provincial else _received(user),
        "batches": [
            (batch, format_vnd(batch.moved)) for batch in transfer_selectors.visible_batches(user)
        ],
        "drafting": drafting,
        "form": form or (_draft_form(request) if drafting else None),
        "error": error,
        "idempotency_key": uuid.uuid4().hex,
    }
    return render(request, "budget/batches.html", context, status=status)


def _received(user) -> list[dict]:
    def levels(codes: list[str]) -> str:
        return ", ".join(str(Level(code).label) for code in codes)

    return [
        {
            "row": row,
            "source": Source(row.source).label,
            "from": levels(row.from_levels),
            "to": levels(row.to_levels),
            "amount": format_vnd(row.amount),
        }
        for row in transfer_selectors.received_transfers(user)
    ]


@login_required
def batch_list(request: HttpRequest) -> HttpResponse:
    return _list(request)


@login_required
@require_POST
def batch_draft(request: HttpRequest) -> HttpResponse:
    user = request.user
    key = request.POST.get("idempotency_key", "")[:100]
    if (made := services.batch_made_with(user, key)) is not None:
        return redirect("desk:budget:batch", batch_id=made.pk)
    form = _draft_form(request, request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput(_("Choose the plan and give the transfer a title."))
        data = form.cleaned_data
        batch = services.draft_batch(
            user, data["plan"], data["district"], title=data["title"], idempotency_key=key
        )
    except DomainError as failure:
        return _list(request, form=form, error=failure.detail, status=failure.status)
    messages.success(request, _("The transfer was drafted: check it, correct it if need be."))
    return redirect("desk:budget:batch", batch_id=batch.pk)


# --- one batch ----------------------------------------------------------------------------------


def _page(
    request: HttpRequest,
    batch_id: int,
    *,
    error: str = "",
    done: str = "",
    entry_form: EntryForm | None = None,
    approval_form: ApprovalForm | None = None,
    refused_amount: tuple[int, str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """``refused_amount``: (entry id, what was typed, why it was refused), shown at that row."""
    user = request.user
    batch = transfer_selectors.get_batch(user, batch_id)
    seen = transfer_selectors.review(batch)
    editing = batch.is_draft and arranges_capital(user)
    projects = list(transfer_selectors.batch_projects(batch)) if editing else []
    groups = [
        {
            "rows": group,
            "entries": [_entry_row(entry, refused_amount) for entry in group.entries],
            "decreases": format_vnd(group.decreases),
            "increases": format_vnd(group.increases),
            "gap": format_vnd(abs(group.gap)) if group.gap else "",
            "investor": group.project.investor,
            "destination": selectors.destination_level(group.project),
        }
        for group in seen.groups
    ]
    context = {
        "batch": batch,
        "seen": seen,
        "groups": groups,
        "totals": {
            "decreases": format_vnd(seen.decreases),
            "increases": format_vnd(seen.increases),
            "before": format_vnd(seen.province_before),
            "after": format_vnd(seen.province_after),
            "change": format_vnd(seen.province_after - seen.province_before),
        },
        "waiting": [(project, format_vnd(amount)) for project, amount in seen.waiting],
        "editing": editing,
        "approving": batch.is_draft and approves_capital(user),
        "entry_form": entry_form or EntryForm(projects=projects),
        "approval_form": approval_form or ApprovalForm(initial={"decision_date": today()}),
        "error": error,
        "done": done,
    }
    response = render(request, "budget/batch_detail.html", context, status=status)
    return varies_with_htmx(response)


def _entry_row(entry, refused_amount: tuple[int, str, str] | None) -> dict:
    refused = refused_amount is not None and refused_amount[0] == entry.pk
    return {
        "entry": entry,
        "signed": refused_amount[1] if refused else format_vnd(entry.amount),
        "refusal": refused_amount[2] if refused else "",
        "decrease": format_vnd(-entry.amount) if entry.amount < 0 else "",
        "increase": format_vnd(entry.amount) if entry.amount > 0 else "",
    }


def _changed(request: HttpRequest, batch_id: int, message: str, anchor: str = "") -> HttpResponse:
    """After a correction: the page itself for htmx (it keeps the batch's part), else back to
    it."""
    if request.htmx:
        return _page(request, batch_id, done=message)
    messages.success(request, message)
    page = reverse("desk:budget:batch", kwargs={"batch_id": batch_id})
    return redirect(f"{page}{anchor}")


@login_required
def batch_detail(request: HttpRequest, batch_id: int) -> HttpResponse:
    if request.GET.get("export") == "xlsx":
        return _export(request, batch_id)
    return _page(request, batch_id)


@login_required
@require_POST
def entry_amount(request: HttpRequest, batch_id: int, entry_id: int) -> HttpResponse:
    batch = transfer_selectors.get_batch(request.user, batch_id)
    entry = transfer_selectors.get_entry(request.user, batch, entry_id)
    form = AmountForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput(" ".join(form.errors["amount"]))
        services.set_entry_amount(request.user, entry, form.cleaned_data["amount"])
    except DomainError as failure:
        # named at its row, with what was typed kept there to be corrected
        where = _("%(project)s (%(source)s, %(level)s): %(reason)s") % {
            "project": entry.project.code,
            "source": entry.get_source_display(),
            "level": entry.get_level_display(),
            "reason": failure.detail,
        }
        typed = request.POST.get("amount", "")[:40]
        return _page(
            request,
            batch_id,
            error=where,
            refused_amount=(entry.pk, typed, failure.detail),
            status=failure.status,
        )
    message = _("An entry of %(project)s was changed to %(amount)s đ.") % {
        "project": entry.project.code,
        "amount": format_vnd(form.cleaned_data["amount"]),
    }
    return _changed(request, batch_id, message, f"#project-{entry.project.code}")


@login_required
@require_POST
def entry_remove(request: HttpRequest, batch_id: int, entry_id: int) -> HttpResponse:
    batch = transfer_selectors.get_batch(request.user, batch_id)
    entry = transfer_selectors.get_entry(request.user, batch, entry_id)
    try:
        services.remove_entry(request.user, entry)
    except DomainError as failure:
        return _page(request, batch_id, error=failure.detail, status=failure.status)
    message = _("An entry of %(project)s was removed.") % {"project": entry.project.code}
    return _changed(request, batch_id, message)


@login_required
@require_POST
def entry_add(request: HttpRequest, batch_id: int) -> HttpResponse:
    user = request.user
    batch = transfer_selectors.get_batch(user, batch_id)
    form = EntryForm(request.POST, projects=list(transfer_selectors.batch_projects(batch)))
    try:
        if not form.is_valid():
            raise InvalidInput(
                _("Choose the project, the source and the level, and give the amount.")
            )
        data = form.cleaned_data
        project = transfer_selectors.get_batch_project(user, batch, data["project"])
        services.add_entry(user, batch, project, data["source"], data["level"], data["amount"])
    except DomainError as failure:
        return _page(
            request, batch_id, error=failure.detail, entry_form=form, status=failure.status
        )
    message = _("An entry of %(project)s was added.") % {"project": data["project"]}
    return _changed(request, batch_id, message, f"#project-{data['project']}")


@login_required
@require_POST
def batch_approve(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = transfer_selectors.get_batch(request.user, batch_id)
    form = ApprovalForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput(_("Give the approving decision's number and date."))
        services.approve(request.user, batch, **form.cleaned_data)
    except services.TransferRefused as refused:
        # the verdict above lists each difference: the error names the projects, not again them
        projects = sorted({d.project for d in refused.differences})
        error = _(
            "The transfer was not approved: %(projects)s do not balance yet, as the verdict "
            "above says."
        ) % {"projects": ", ".join(projects)}
        return _page(request, batch_id, error=error, approval_form=form, status=refused.status)
    except DomainError as failure:
        return _page(
            request, batch_id, error=failure.detail, approval_form=form, status=failure.status
        )
    messages.success(request, _("The transfer was approved and written to the ledger."))
    return redirect("desk:budget:batch", batch_id=batch.pk)


# --- Excel --------------------------------------------------------------------------------------


def _export(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = transfer_selectors.get_batch(request.user, batch_id)
    workbook = transfer_workbook(batch, transfer_selectors.review(batch))
    return workbook_response(f"chuyen-von-{batch.pk}.xlsx", workbook)
