"""``/api/v1/staffing``: officers, positions, the gap table and secondment plans."""

from ninja import Router

router = Router(tags=["staffing"])
