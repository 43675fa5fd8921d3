"""Reads of the exchange for its operators: the outbox by state, and the reconciliations."""

from django.db.models import Count, Q, QuerySet

from haicap.accounts.models import User
from haicap.core.errors import NotFound
from haicap.core.scoping import scope_of
from haicap.exchange.models import InboundRepeat, OutboxMessage, Reconciliation


def require_exchange_reader(user: User) -> None:
    """Operators (system administrators) and province supervisors see the exchange."""
    if not scope_of(user).province_wide:
        raise NotFound()


def outbox(
    user: User, status: str | None = None, kind: str | None = None, query: str = ""
) -> QuerySet[OutboxMessage]:
    require_exchange_reader(user)
    messages = OutboxMessage.objects.all()
    if status:
        messages = messages.filter(status=status)
    if kind:
        messages = messages.filter(kind=kind)
    if query:
        messages = messages.filter(stream__icontains=query.strip())
    return messages.order_by("-id")


def counts_by_status(user: User) -> dict[str, int]:
    require_exchange_reader(user)
    found = OutboxMessage.objects.aggregate(
        **{s: Count("pk", filter=Q(status=s)) for s in OutboxMessage.Status.values}
    )
    return found


def kinds(user: User) -> list[str]:
    require_exchange_reader(user)
    return list(OutboxMessage.objects.values_list("kind", flat=True).distinct().order_by("kind"))


def latest_reconciliations(user: User, count: int = 30) -> list[Reconciliation]:
    require_exchange_reader(user)
    return list(Reconciliation.objects.order_by("-ran_at")[:count])


def held_repeats(user: User) -> QuerySet[InboundRepeat]:
    """Filings sent again under a known national id with other content, not yet settled."""
    require_exchange_reader(user)
    return InboundRepeat.objects.filter(settled_at=None).select_related("first__dossier")
