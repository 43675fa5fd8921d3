"""Checking what is written about an applicant (pure: no Django).

Citizen ID numbers have no check digit (Decree 137/2015 Art. 7): ``PPP G YY RRRRRR`` is checked
for form and plausibility only: a province or country-of-registration prefix, a century-and-sex
digit, a birth year that is not in the future.
"""

import datetime as dt
import re
from dataclasses import asdict, dataclass

from haicap.core.characters import text_problem

_PHONE = re.compile(r"^(0|\+84)(3|5|7|8|9)\d{8}$|^(0|\+84)2\d{9}$")
_BUSINESS = re.compile(r"^\d{10}(-\d{3})?$")


@dataclass(frozen=True)
class Applicant:
    name: str
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    business_code: str = ""


def citizen_id_problem(number: str, today: dt.date) -> str | None:
    if not (len(number) == 12 and number.isdigit()):
        return "a citizen ID number has 12 digits"
    province, century_sex, year = int(number[:3]), int(number[3]), int(number[4:6])
    if not 1 <= province <= 96:
        return "the first three digits are not a province of birth registration"
    birth_year = 1900 + (century_sex // 2) * 100 + year
    if birth_year > today.year:
        return "the birth year it encodes is in the future"
    return None


def phone_problem(phone: str) -> str | None:
    compact = re.sub(r"[\s.\-]", "", phone)
    return (
        None
        if _PHONE.match(compact)
        else "a Vietnamese phone number has 10 digits, e.g. 0912345678"
    )


def business_code_problem(code: str) -> str | None:
    return None if _BUSINESS.match(code) else "an enterprise code has 10 digits (13 for a branch)"


def problems(applicant: Applicant, today: dt.date) -> dict[str, str]:
    """Field name → what is wrong with it (the first problem found for each)."""
    # Every field is one line: a control character in a name broke every export holding it.
    found = {
        field: problem
        for field, value in asdict(applicant).items()
        if (problem := text_problem(value)) is not None
    }
    if not applicant.name.strip():
        found.setdefault("name", "the applicant's name is needed")
    if not applicant.id_number and not applicant.business_code:
        found.setdefault("id_number", "a citizen ID number or an enterprise code is needed")
    if applicant.id_number and (problem := citizen_id_problem(applicant.id_number, today)):
        found.setdefault("id_number", problem)
    if applicant.phone and (problem := phone_problem(applicant.phone)):
        found.setdefault("phone", problem)
    if applicant.business_code and (problem := business_code_problem(applicant.business_code)):
        found.setdefault("business_code", problem)
    return found
