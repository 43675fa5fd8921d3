"""The officer's notices, from every app that sends them (``core.notices``): newest first, the
unread marked, and marking them read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haicap.core.converters import record_id
from haicap.core.notices import newest_first, notice_sources

SHOWN = 100  # the newest; older ones are long dealt with


@login_required
def notices(request: HttpRequest) -> HttpResponse:
    sources = notice_sources.sources()
    shown = newest_first((s.latest(request.user, SHOWN) for s in sources), SHOWN)
    unread = sum(not n.read for n in shown)
    return render(request, "desk/notices.html", {"notices": shown, "unread": unread})


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    """One notice (its source and id), or every notice of the user's ("all")."""
    if request.POST.get("all"):
        for source in notice_sources.sources():
            source.mark_read(request.user, None)
        return redirect("desk:notices")
    source = notice_sources.get(request.POST.get("source", ""))
    notice_id = record_id(request.POST.get("id"))
    if source is None or notice_id is None:
        messages.error(request, _("That notice is not one of yours."))
        return redirect("desk:notices")
    source.mark_read(request.user, notice_id)
    return redirect("desk:notices")
