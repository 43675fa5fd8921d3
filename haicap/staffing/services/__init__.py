"""Writes of the staffing app, a module per capability.

``staff``: who works where (officers, positions, norms, travel times), by hand or imported
from spreadsheets, all or nothing. Officers are edited by the staffing authority and by the
administrators of the body they work for; positions, norms and travel times, and imports, by
the staffing authority alone (``haicap.staffing.permissions``). Every write is audited in its
transaction, citizen ID and phone numbers masked in the log.
"""

from haicap.staffing.services.staff import (
    MAX_APPROVED,
    MAX_EXPERIENCE_YEARS,
    Counts,
    ImportReport,
    NormSpec,
    OfficerSpec,
    PositionSpec,
    StaffImportRefused,
    import_staff,
    link_account,
    officer_problems,
    remove_norm,
    remove_officer,
    remove_position,
    save_norm,
    save_officer,
    save_position,
    set_travel_time,
)

__all__ = [
    "MAX_APPROVED",
    "MAX_EXPERIENCE_YEARS",
    "Counts",
    "ImportReport",
    "NormSpec",
    "OfficerSpec",
    "PositionSpec",
    "StaffImportRefused",
    "import_staff",
    "link_account",
    "officer_problems",
    "remove_norm",
    "remove_officer",
    "remove_position",
    "save_norm",
    "save_officer",
    "save_position",
    "set_travel_time",
]
