"""``/api/v1/staffing``: officers, positions, the gap table and secondment plans."""

from ninja import Router

from haicap.staffing.plan_api import router as plan_router

router = Router(tags=["staffing"])
# Secondment plans: ``plan_api``.
router.add_router("", plan_router)
