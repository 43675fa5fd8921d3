"""``/api/v1/budget/``: open data routes."""

from ninja import Router

router = Router(tags=["budget"])
