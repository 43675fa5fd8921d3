"""The status messages a dossier sends to the national public-service portal (pure).

haicap's own field names for now; the mapping to the national codes and to the fields of
Circular 04/2025/TT-VPCP is applied when a message is delivered.
"""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

NATIONAL_PORTAL = "dvcqg"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def _iso(moment: dt.datetime | None) -> str | None:
    """Every time in Vietnam's offset, whatever zone it was read in: one spelling per moment."""
    return moment.astimezone(VIETNAM).isoformat() if moment else None


def dossier_status(
    *,
    code: str,
    procedure_code: str,
    receiving_agency: str,
    competent_agency: str,
    applicant_name: str,
    applicant_id_number: str,
    business_code: str,
    channel: str,
    event_seq: int,
    action: str,
    step: str,
    outcome: str,
    received_at: dt.datetime,
    due_at: dt.datetime,
    finished_at: dt.datetime | None,
    happened_at: dt.datetime,
) -> dict[str, Any]:
    return {
        "dossier_code": code,
        "procedure_code": procedure_code,
        "receiving_agency": receiving_agency,
        "competent_agency": competent_agency,
        "applicant": {
            "name": applicant_name,
            "id_number": applicant_id_number,
            "business_code": business_code,
        },
        "channel": channel,
        "event": {"seq": event_seq, "action": action, "at": _iso(happened_at)},
        "status": {"step": step, "outcome": outcome},
        "received_at": _iso(received_at),
        "due_at": _iso(due_at),
        "finished_at": _iso(finished_at),
    }
