"""What the oversight pages offer a reader: the forms they show only to those who may use them.

The services decide; this only asks them, so a page never offers what would be refused."""

from haicap.core.errors import DomainError
from haicap.core.restricted import Viewer
from haicap.oversight.models import WorkingGroup
from haicap.oversight.services.permissions import require_manager


def manages(user: Viewer, group: WorkingGroup) -> bool:
    """The group's secretariat, its leader or a system administrator, who may write."""
    try:
        require_manager(user, group)
    except DomainError:
        return False
    return True
