"""Closing a directive on its stated result, by the group's secretariat."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from haicap.accounts.models import User
from haicap.accounts.services import require_writable
from haicap.core import clock
from haicap.core.audit import record_change, snapshot
from haicap.core.errors import Conflict, InvalidInput, PermissionDenied
from haicap.core.task_status import Outcome
from haicap.core.validators import check_text
from haicap.oversight import selectors
from haicap.oversight.models import Directive
from haicap.oversight.services.directives import locked_directive
from haicap.oversight.services.permissions import in_secretariat


def close_directive(
    actor: User, directive: Directive, *, outcome: Outcome, result: str, reason: str = ""
) -> Directive:
    """The secretariat closes a directive on its stated ``result``. As achieved only when its
    target, if any, is met now; as not achieved only with a ``reason``."""
    require_writable(actor)
    check_text("result", result, multiline=True)
    check_text("reason", reason, multiline=True)
    outcome = Outcome(outcome)
    with transaction.atomic():
        directive = locked_directive(directive)
        if not in_secretariat(actor, directive.inspection.group):
            raise PermissionDenied(_("A directive is closed by the working group's secretariat."))
        if directive.closed_at is not None:
            raise Conflict(_("The directive is closed."))
        if directive.subtasks.filter(closed_at__isnull=True).exists():
            raise Conflict(_("Close the directive's sub-tasks first."))
        if not result.strip():
            raise InvalidInput(_("State the result the directive is closed on."))
        if outcome == Outcome.NOT_ACHIEVED and not reason.strip():
            raise InvalidInput(_("Say why the expected result was not achieved."))
        reading = None
        target = selectors.target_of(directive)
        if target is not None:
            reading = selectors.read_target(target)
            if outcome == Outcome.ACHIEVED and not reading.met:
                raise Conflict(
                    _(
                        "The directive's target is not met: it can be closed only as not "
                        "achieved, with a reason."
                    )
                )
        if target is not None and reading is not None:
            target.value_at_close = _stored(reading.value)
            target.save(update_fields=["value_at_close"])
        directive.closed_at = clock.now()
        directive.closed_by = actor
        directive.close_outcome = outcome
        directive.close_result = result.strip()
        directive.close_reason = reason.strip() if outcome == Outcome.NOT_ACHIEVED else ""
        directive.save(
            update_fields=[
                "closed_at",
                "closed_by",
                "close_outcome",
                "close_result",
                "close_reason",
            ]
        )
        record_change(
            "directive.closed",
            directive,
            actor=actor,
            after={
                **snapshot(
                    directive,
                    ["closed_at", "closed_by", "close_outcome", "close_result", "close_reason"],
                ),
                "target_value": target.value_at_close if target is not None else None,
            },
        )
    return directive


def _stored(value: Decimal | None) -> Decimal | None:
    """The value as the target keeps it: two decimals, as its threshold."""
    return None if value is None else value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
