"""How much of an applicant's personal data a reader is shown (a pure rule, no Django).

The officers who handle dossiers see whom they serve: citizen ID and phone numbers whole. A
reader who sees figures, not people (``selectors.sees_personal_data`` is false: a supervisor),
sees them masked. The desk's pages and exports, the API and the printed slip all ask here.
"""

from haicap.core.masking import mask_citizen_id, mask_phone


def shown_id_number(id_number: str, personal: bool) -> str:
    """A citizen ID number as a reader who does (``personal``) or does not see personal data
    is shown it."""
    return id_number if personal else mask_citizen_id(id_number)


def shown_phone(phone: str, personal: bool) -> str:
    """A phone number as a reader who does or does not see personal data is shown it."""
    return phone if personal else mask_phone(phone)
