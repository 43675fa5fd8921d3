"""Which agencies act as one on a dossier: the one rule behind who acts where it is handled.

In a commune, its bodies act as one: its People's Committee decides, its offices prepare, and a
commune of a few officers works as one. In the province, each agency acts alone. The roles an
officer holds on a dossier (``services.acting_roles``), the officers warned about it
(``deadlines.handlers_of``) and the desk's queues (``selectors``) all ask this rule.
"""

from dataclasses import dataclass

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
