"""``/api/v1/assets``: the register and its movements, take-over records, surplus offices'
disposal plans, equipment gaps and allocation proposals."""

from ninja import Router

from haicap.assets.disposal_api import router as disposal_router
from haicap.assets.gap_api import router as gap_router
from haicap.assets.takeover_api import router as takeover_router

router = Router(tags=["assets"])

# Take-over records, surplus offices' disposal plans, and what each commune lacks (the gap
# table, the norms, allocation proposals): their own modules' routes.
router.add_router("", takeover_router)
router.add_router("", disposal_router)
router.add_router("", gap_router)
