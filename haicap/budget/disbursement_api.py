"""``/api/v1/budget/``: disbursement routes."""

from ninja import Router

router = Router(tags=["budget"])
