"""A message in haicap's words turned into the national system's codes (pure: no Django).

Every code a receiver must understand — the procedure, the receiving and the deciding agency,
the status — is looked up in the province's mapping tables. A code without a mapping stops the
message here with a reason an operator can act on, instead of an error at the receiver.
"""

from collections.abc import Callable
from copy import deepcopy
from typing import Any

# Where a dossier stands, by haicap's step and outcome: the status the national portal knows.
STATUS_OF = "status"


class Unmapped(Exception):
    """A code of the message has no national counterpart yet; the message waits for one."""

    def __init__(self, missing: list[tuple[str, str]]) -> None:
        self.missing = missing
        super().__init__(
            "no national code for " + ", ".join(f"{kind} {code}" for kind, code in missing)
        )


def status_code(payload: dict[str, Any]) -> str:
    """The local status a national status is looked up by: the outcome once there is one."""
    status = payload.get("status", {})
    return status.get("outcome") or status.get("step") or ""


def codes_needed(payload: dict[str, Any]) -> list[tuple[str, str]]:
    """The (kind, local code) pairs a message needs mapped: procedure, both agencies, status."""
    return [
        ("procedure", payload.get("procedure_code", "")),
        ("agency", payload.get("receiving_agency", "")),
        ("agency", payload.get("competent_agency", "")),
        (STATUS_OF, status_code(payload)),
    ]


def translate(payload: dict[str, Any], lookup: Callable[[str, str], str | None]) -> dict[str, Any]:
    """The payload with national codes; ``lookup(kind, local_code)`` reads the mappings."""
    wanted = codes_needed(payload)
    found = {(kind, code): lookup(kind, code) for kind, code in wanted}
    missing = sorted({key for key, value in found.items() if not value})
    if missing:
        raise Unmapped(missing)
    national = deepcopy(payload)
    national["procedure_code"] = found[wanted[0]]
    national["receiving_agency"] = found[wanted[1]]
    national["competent_agency"] = found[wanted[2]]
    national["status"]["national_code"] = found[wanted[3]]
    return national
