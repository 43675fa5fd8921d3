"""What the desk's and the portal's forms share about an applicant: reading it from a form
and saying, in the reader's language, what the pure rules in ``applicant.py`` found wrong."""

import datetime as dt

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_noop

from haicap.dossiers import applicant as applicant_rules
from haicap.dossiers.applicant import Applicant

# The rules speak English (a pure core); these are their words, so the catalogue holds them.
APPLICANT_PROBLEMS = (
    gettext_noop("the applicant's name is needed"),
    gettext_noop("a citizen ID number or an enterprise code is needed"),
    gettext_noop("a citizen ID number has 12 digits"),
    gettext_noop("the first three digits are not a province of birth registration"),
    gettext_noop("the birth year it encodes is in the future"),
    gettext_noop("a Vietnamese phone number has 10 digits, e.g. 0912345678"),
    gettext_noop("an enterprise code has 10 digits (13 for a branch)"),
)


def applicant_from(data: dict) -> Applicant:
    return Applicant(
        name=(data.get("name") or "").strip(),
        id_number=(data.get("id_number") or "").strip(),
        phone=(data.get("phone") or "").strip(),
        email=(data.get("email") or "").strip(),
        address=(data.get("address") or "").strip(),
        business_code=(data.get("business_code") or "").strip(),
    )


def add_applicant_errors(form: forms.Form, applicant: Applicant, today: dt.date) -> None:
    """Each problem on its field, unless the field already has an error of its own."""
    for field, problem in applicant_rules.problems(applicant, today).items():
        if field in form.fields and field not in form.errors:
            form.add_error(field, capfirst(gettext(problem)))
