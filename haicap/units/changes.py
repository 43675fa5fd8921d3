"""Registry changes that others follow, published on a channel (``haicap.core.channels``).

An agency moved to another unit takes its figures with it: the indicators listen here, so the
registry, at the bottom of the layers, never imports them.
"""

from dataclasses import dataclass

from haicap.core.channels import Channel


@dataclass(frozen=True)
class AgencyMoved:
    agency_id: int
    unit_id: int  # the unit it is in now


agencies_moved: Channel[AgencyMoved] = Channel("agencies moved")
