"""``/api/v1/budget/``: transfer routes."""

from ninja import Router

router = Router(tags=["budget"])
