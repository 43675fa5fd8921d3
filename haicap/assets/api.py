"""``/api/v1/assets``: the register and its movements, take-over records, surplus offices'
disposal plans, equipment gaps and allocation proposals."""

from ninja import Router

router = Router(tags=["assets"])
