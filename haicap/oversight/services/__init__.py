"""Writes of the working groups, inspections, findings and directives: a module per capability.

Who writes what (``permissions``):

- a working group is made and changed by the staff of the PPC Office and system administrators
  (and, once it exists, by its own secretariat); the province's supervisors read only;
- the group's inspections, findings and directives are written by its secretariat and its
  leader (and system administrators);
- progress is reported by the staff of the directive's lead or supporting agencies, each update
  a new row (the table refuses changes: ``haicap.oversight.history``);
- a directive is closed by the group's secretariat alone, on a stated result: as achieved only
  when its target, if it has one, is met now; otherwise as not achieved, with a reason.

Every write checks its text (``check_text``) and is audited in its transaction.
"""

from haicap.oversight.services.closing import close_directive
from haicap.oversight.services.directives import DirectiveSpec, TargetSpec, issue_directive
from haicap.oversight.services.findings import FindingSpec, checked_link, record_finding
from haicap.oversight.services.groups import GroupSpec, save_group
from haicap.oversight.services.inspections import (
    conclude_inspection,
    plan_inspection,
    start_inspection,
)
from haicap.oversight.services.permissions import in_secretariat, manages, works_for
from haicap.oversight.services.updates import post_update, reporting_agency

__all__ = [
    "DirectiveSpec",
    "FindingSpec",
    "GroupSpec",
    "TargetSpec",
    "checked_link",
    "close_directive",
    "conclude_inspection",
    "in_secretariat",
    "issue_directive",
    "manages",
    "plan_inspection",
    "post_update",
    "record_finding",
    "reporting_agency",
    "save_group",
    "start_inspection",
    "works_for",
]
