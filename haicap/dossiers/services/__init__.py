"""Writes to dossiers: receiving one, and every later action on it — the service API other apps
call (``from haicap.dossiers import services; services.receive(...)``).

Each write validates, locks the dossier row, checks its version, moves it through its pinned
process template, appends an event and an audit record, all in one transaction. One module per
capability: ``intake`` (receiving at a desk), ``actions`` (acting on a dossier), ``moves`` (the
state a move leaves it in, replayed by ``history``), ``documents`` (its papers), ``digitising``
(scanning papers at the desk, reusing the applicant's stored copies), ``online`` (online
submissions), ``lookup`` (the citizen's look-up), ``pins`` (the look-up PIN), ``automatic``
(the system's own moves: the fee pause), with ``events`` and ``retries`` shared by the writes.
None of them imports the apps that listen to dossier changes (``dossiers.changes``).
"""

from haicap.dossiers.services.actions import (
    RETURN_RESULT,
    act,
    acting_roles,
    open_actions,
    taken_actions,
    transfer_target,
    transfer_targets,
)
from haicap.dossiers.services.automatic import (
    PAYMENT_PAUSE,
    PAYMENT_RESUME,
    take_automatic,
)
from haicap.dossiers.services.desk_records import record_at_intake
from haicap.dossiers.services.digitising import (
    digitise_paper,
    may_digitise,
    reuse_stored_paper,
)
from haicap.dossiers.services.documents import attach_document, inspect_upload
from haicap.dossiers.services.events import history_of
from haicap.dossiers.services.intake import (
    MAX_BACKDATE,
    ReceiptTimeRefused,
    Received,
    receive,
)
from haicap.dossiers.services.lookup import (
    PIN_ATTEMPTS_PER_ADDRESS,
    PIN_ATTEMPTS_PER_DOSSIER,
    PIN_WINDOW,
    look_up,
    look_up_submission,
)
from haicap.dossiers.services.moves import (
    RESOLVED_OUTCOMES,
    apply_move,
    step_due,
    used_legal_time,
    worked_days,
)
from haicap.dossiers.services.online import (
    MAX_SUBMISSION_PAPERS,
    SUBMISSION_ALPHABET,
    AlreadyFiled,
    Submitted,
    accept_submission,
    api_filing_token,
    count_filing_attempt,
    return_submission,
    submit_online,
)
from haicap.dossiers.services.pins import (
    PIN_KEPT_FOR,
    PIN_PURPOSE,
    may_reissue_pin,
    pin_matches,
    reissue_pin,
)
from haicap.dossiers.services.retries import request_digest

__all__ = [
    "MAX_BACKDATE",
    "MAX_SUBMISSION_PAPERS",
    "PAYMENT_PAUSE",
    "PAYMENT_RESUME",
    "PIN_ATTEMPTS_PER_ADDRESS",
    "PIN_ATTEMPTS_PER_DOSSIER",
    "PIN_KEPT_FOR",
    "PIN_PURPOSE",
    "PIN_WINDOW",
    "RESOLVED_OUTCOMES",
    "RETURN_RESULT",
    "SUBMISSION_ALPHABET",
    "AlreadyFiled",
    "ReceiptTimeRefused",
    "Received",
    "Submitted",
    "accept_submission",
    "act",
    "acting_roles",
    "api_filing_token",
    "apply_move",
    "attach_document",
    "count_filing_attempt",
    "digitise_paper",
    "history_of",
    "inspect_upload",
    "look_up",
    "look_up_submission",
    "may_digitise",
    "may_reissue_pin",
    "open_actions",
    "pin_matches",
    "receive",
    "record_at_intake",
    "reissue_pin",
    "request_digest",
    "return_submission",
    "reuse_stored_paper",
    "step_due",
    "submit_online",
    "take_automatic",
    "taken_actions",
    "transfer_target",
    "transfer_targets",
    "used_legal_time",
    "worked_days",
]
