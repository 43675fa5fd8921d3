"""Catalogue changes that others follow, published on a channel (``haicap.core.channels``).

A procedure whose field or online level changes moves its figures: the indicators listen here,
so the catalogue, below them in the layers, never imports them.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from haicap.core.channels import Channel


@dataclass(frozen=True)
class ProceduresMoved:
    """Procedures reclassified: each one's id and the field it was in before."""

    old_field_by_procedure: Mapping[int, int]


procedures_moved: Channel[ProceduresMoved] = Channel("procedures moved")
