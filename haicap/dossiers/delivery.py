"""How the applicant receives the result, and who may take it back (pure: no Django).

Decree 118/2025 (domain.md 1.8 and 7, duty 4): the applicant chooses to receive the result at
the desk, by post or electronically; form 01 records the choice, the number of sets and any
person they authorise to collect it. At the return the desk records who received it and how:
at the desk, the applicant or the person authorised on form 01, checked by their citizen ID
number; by post, the postal item's tracking number; electronically, nothing more, and only a
dossier whose result was signed electronically (``SignedResult``, which the applicant downloads
from the public look-up) is handed back that way.
"""

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from haicap.core.characters import text_problem
from haicap.dossiers.applicant import citizen_id_problem

MAX_SETS = 20  # more sets than a desk ever takes for one dossier is a typing mistake
# A postal item's code: letters and digits (VNPost prints e.g. EB123456789VN, UPU S10).
_TRACKING = re.compile(r"^[A-Z0-9]{6,30}$")


class Way(StrEnum):
    DESK = "desk"
    POST = "post"
    ELECTRONIC = "electronic"


class Receiver(StrEnum):
    APPLICANT = "applicant"
    AUTHORISED = "authorised"


@dataclass(frozen=True)
class Choice:
    """What form 01 records: the way, the number of sets, and who else may collect."""

    way: str = Way.DESK
    sets: int = 1
    authorised_name: str = ""
    authorised_id_number: str = ""


def choice_problems(
    choice: Choice, applicant_address: str, applicant_email: str, applicant_id: str, today: dt.date
) -> dict[str, str]:
    """Field name → what is wrong with the choice made at intake."""
    found: dict[str, str] = {}
    if choice.way not in Way.__members__.values():
        found["way"] = "choose the desk, the post or electronic delivery"
    if not 1 <= choice.sets <= MAX_SETS:
        found["sets"] = f"a dossier has from 1 to {MAX_SETS} sets"
    name, number = choice.authorised_name.strip(), choice.authorised_id_number.strip()
    for field, value in (("authorised_name", name), ("authorised_id_number", number)):
        if (problem := text_problem(value)) is not None:
            found[field] = problem
    if bool(name) != bool(number):
        found.setdefault(
            "authorised_name" if not name else "authorised_id_number",
            "an authorised person is named with their citizen ID number",
        )
    if number and (problem := citizen_id_problem(number, today)):
        found.setdefault("authorised_id_number", problem)
    if choice.way == Way.POST and not applicant_address.strip():
        found.setdefault("way", "a result sent by post needs the applicant's address")
    if choice.way == Way.ELECTRONIC and not (applicant_email.strip() or applicant_id.strip()):
        # the national portal's account is the citizen ID (VNeID); otherwise an e-mail
        found.setdefault("way", "an electronic result needs the applicant's e-mail or ID number")
    return found


def receiver_of(
    name: str,
    id_number: str,
    *,
    applicant_name: str,
    applicant_id: str,
    authorised_name: str,
    authorised_id: str,
) -> Receiver | None:
    """Who is collecting at the desk, or None when it is neither the applicant nor the person
    form 01 names. The ID number decides; a name is compared only when the applicant has no ID
    number on file (a business, or a dossier received before IDs were asked), ignoring case and
    spacing."""
    number = id_number.strip()
    if number and applicant_id and number == applicant_id:
        return Receiver.APPLICANT
    if number and authorised_id and number == authorised_id:
        return Receiver.AUTHORISED
    if not applicant_id and _same_name(name, applicant_name):
        return Receiver.APPLICANT
    return None


def _same_name(one: str, other: str) -> bool:
    squeeze = " ".join(one.split()).casefold()
    return bool(squeeze) and squeeze == " ".join(other.split()).casefold()


def tracking_problem(number: str) -> str | None:
    if not _TRACKING.match(number.strip().upper()):
        return "a postal tracking number has 6 to 30 letters and digits, e.g. EB123456789VN"
    return None
