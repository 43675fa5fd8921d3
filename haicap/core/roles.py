"""Roles a staff member holds in an agency, and what each allows (pure: no Django)."""

from enum import StrEnum


class Role(StrEnum):
    INTAKE_OFFICER = "intake_officer"  # receives dossiers at the one-stop desk
    SPECIALIST = "specialist"  # appraises and processes dossiers
    LEADER = "leader"  # approves and signs
    AGENCY_ADMIN = "agency_admin"  # manages the agency's staff and settings
    PROVINCE_SUPERVISOR = "province_supervisor"  # reads everything in the province, changes nothing
    SYSTEM_ADMIN = "system_admin"  # runs the installation


# Roles whose holder sees every record of the province, whatever their agency.
PROVINCE_WIDE_ROLES = frozenset({Role.PROVINCE_SUPERVISOR, Role.SYSTEM_ADMIN})

# Roles that may grant and withdraw memberships in their own agency.
MEMBERSHIP_MANAGER_ROLES = frozenset({Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN})

# Roles only a system administrator may grant.
RESERVED_ROLES = frozenset({Role.PROVINCE_SUPERVISOR, Role.SYSTEM_ADMIN})


def is_read_only(roles: frozenset[Role]) -> bool:
    """A supervisor who holds no other role may look but not change anything."""
    return bool(roles) and roles <= {Role.PROVINCE_SUPERVISOR}
