"""What a staff member may see, derived from their memberships (pure: no Django).

Each kind of record has exactly one scoping rule, beside its model (its queryset's
``restrict(user)``, ``haicap.core.restricted``); they all start from this ``Scope``. The rule for
places is the tree: a member of an agency sees their own unit, everything under it and the units
above it, never a sibling. So a commune officer sees their commune and the province, a
department sees the whole province, and supervisors and system administrators see everything.

The rule for work is the two tiers (``acting_body``): in a commune, its bodies act as one (its
People's Committee decides, its offices prepare, and a member of any of them works for the whole
commune); in the province, each agency acts alone. Who acts on a dossier, who is warned about
it, the desk's queues, what a user sees and whose figures are their own all ask that rule.

A signed-in user carries their scope (``scope_of``): the accounts app computes it once per user
object from the memberships, so the apps below accounts read it without importing them.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from haicap.core.roles import PROVINCE_WIDE_ROLES, Role, is_read_only

COMMUNE = "commune"


@dataclass(frozen=True)
class ActingBody:
    """Agencies that act as one: every agency of the commune ``unit_id``, or ``agency_id`` alone."""

    unit_id: int | None = None
    agency_id: int | None = None

    def includes(self, agency_id: int, unit_id: int) -> bool:
        """Whether the agency ``agency_id`` of the unit ``unit_id`` is one of the body's."""
        if self.unit_id is not None:
            return unit_id == self.unit_id
        return agency_id == self.agency_id

    def lookups(self, prefix: str = "") -> dict[str, int | None]:
        """The body's agencies as query lookups on an agency reached through ``prefix``
        (``"agency__"`` from a membership, ``"competent_agency__"`` from a dossier)."""
        if self.unit_id is not None:
            return {f"{prefix}unit_id": self.unit_id}
        return {f"{prefix}id": self.agency_id}


def acting_body(agency_id: int, unit_id: int, tier: str) -> ActingBody:
    """The agencies that act as one with the agency ``agency_id`` of the unit ``unit_id``, a unit
    of the ``tier`` ("province" or "commune")."""
    if tier == COMMUNE:
        return ActingBody(unit_id=unit_id)
    return ActingBody(agency_id=agency_id)


@dataclass(frozen=True)
class MembershipFact:
    agency_id: int
    unit_id: int
    unit_path: str  # "/1/57/": ids from the root down to the agency's unit
    role: Role
    unit_tier: str = ""  # "province" or "commune"

    @property
    def body(self) -> ActingBody:
        """The agencies this membership works for."""
        return acting_body(self.agency_id, self.unit_id, self.unit_tier)


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

    def bodies(self, roles: Iterable[Role] | None = None) -> frozenset[ActingBody]:
        """The bodies the user works for (``acting_body``), through the memberships with one of
        ``roles`` (all of them, if None)."""
        wanted = None if roles is None else frozenset(roles)
        return frozenset(m.body for m in self.memberships if wanted is None or m.role in wanted)

    @property
    def communes(self) -> frozenset[int]:
        """The communes (their units) the user works for, each as one."""
        return frozenset(b.unit_id for b in self.bodies() if b.unit_id is not None)

    @property
    def provincial_agencies(self) -> frozenset[int]:
        """The agencies outside communes the user works for, each alone."""
        return frozenset(b.agency_id for b in self.bodies() if b.unit_id is None)

    def own_figures(self) -> ActingBody | None:
        """Whose figures a dashboard shows as the user's own: the body of their first
        membership. None: the province's (a province-wide reader, or someone with no
        membership)."""
        if self.province_wide or not self.memberships:
            return None
        return self.memberships[0].body

    def sees_unit_path(self, path: str) -> bool:
        """The tree rule for one unit, the same one the selectors express as a query."""
        if self.province_wide:
            return True
        if any(path.startswith(own) for own in self.own_unit_paths):
            return True
        return bool(path_ids(path)) and path_ids(path)[-1] in self.ancestor_unit_ids


@runtime_checkable
class CarriesScope(Protocol):
    """A signed-in user as the accounts app makes it: its scope, computed once."""

    @property
    def scope(self) -> Scope: ...


def scope_of(user: object | None) -> Scope:
    """The scope of whoever makes a request; anyone who carries none (an anonymous visitor,
    nobody) is anonymous and sees nothing scoped."""
    return user.scope if isinstance(user, CarriesScope) else Scope.anonymous()
