"""``/api/v1/assets``: the register and its movements, take-over records, surplus offices'
disposal plans, equipment gaps and allocation proposals."""

from ninja import Router

from haicap.assets.gap_api import router as gap_router

router = Router(tags=["assets"])

router.add_router("", gap_router)  # the gap table, the norms, allocation proposals
