"""``/api/v1/budget``: projects and their plans, the ledger, transfer batches, disbursement and
the open-data package, each in its own module."""

from ninja import Router

from haicap.budget.disbursement_api import router as disbursement_router
from haicap.budget.open_data_api import router as open_data_router
from haicap.budget.project_api import router as project_router
from haicap.budget.transfer_api import router as transfer_router

router = Router(tags=["budget"])
router.add_router("", project_router)
router.add_router("", transfer_router)
router.add_router("", disbursement_router)
router.add_router("", open_data_router)
