"""What a staff member may see, derived from their memberships (pure: no Django).

Each kind of record has exactly one scoping rule, in its app's ``selectors.py``; they all
start from this ``Scope``. The rule for places is the tree: a member of an agency sees their
own unit, everything under it and the units above it, never a sibling. So a commune officer
sees their commune and the province, a department sees the whole province, and supervisors
and system administrators see everything.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from haicap.accounts.roles import PROVINCE_WIDE_ROLES, Role, is_read_only


@dataclass(frozen=True)
class MembershipFact:
    agency_id: int
    unit_id: int
    unit_path: str  # "/1/57/": ids from the root down to the agency's unit
    role: Role
    unit_tier: str = ""  # "province" or "commune"


def path_ids(path: str) -> tuple[int, ...]:
    return tuple(int(part) for part in path.strip("/").split("/") if part)


@dataclass(frozen=True)
class Scope:
    user_id: int | None
    memberships: tuple[MembershipFact, ...] = ()
    superuser: bool = False
    _roles: frozenset[Role] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_roles", frozenset(m.role for m in self.memberships))

    @classmethod
    def anonymous(cls) -> "Scope":
        return cls(user_id=None)

    @classmethod
    def of(cls, user_id: int, memberships: Iterable[MembershipFact], superuser: bool) -> "Scope":
        return cls(user_id=user_id, memberships=tuple(memberships), superuser=superuser)

    @property
    def roles(self) -> frozenset[Role]:
        return self._roles

    @property
    def is_system_admin(self) -> bool:
        return self.superuser or Role.SYSTEM_ADMIN in self._roles

    @property
    def province_wide(self) -> bool:
        return self.superuser or bool(self._roles & PROVINCE_WIDE_ROLES)

    @property
    def read_only(self) -> bool:
        return not self.superuser and is_read_only(self._roles)

    @property
    def agency_ids(self) -> frozenset[int]:
        return frozenset(m.agency_id for m in self.memberships)

    @property
    def own_unit_paths(self) -> frozenset[str]:
        return frozenset(m.unit_path for m in self.memberships)

    @property
    def ancestor_unit_ids(self) -> frozenset[int]:
        """Units strictly above each of the member's units."""
        return frozenset(uid for m in self.memberships for uid in path_ids(m.unit_path)[:-1])

    def roles_in(self, agency_id: int) -> frozenset[Role]:
        return frozenset(m.role for m in self.memberships if m.agency_id == agency_id)

    def agencies_where(self, role: Role) -> list[int]:
        """The agencies where the user holds ``role`` (an intake officer's desks, say)."""
        return [m.agency_id for m in self.memberships if m.role == role]

    def sees_unit_path(self, path: str) -> bool:
        """The tree rule for one unit, the same one the selectors express as a query."""
        if self.province_wide:
            return True
        if any(path.startswith(own) for own in self.own_unit_paths):
            return True
        return bool(path_ids(path)) and path_ids(path)[-1] in self.ancestor_unit_ids
