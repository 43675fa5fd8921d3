"""``/api/v1/budget/``: project routes."""

from ninja import Router

router = Router(tags=["budget"])
