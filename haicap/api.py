"""The ``/api/v1/`` application: routers of every app, one error convention."""

from haicap.accounts.api import router as accounts_router
from haicap.accounts.auth import STAFF_AUTH
from haicap.assets.api import router as assets_router
from haicap.budget.api import router as budget_router
from haicap.calendar.api import router as calendar_router
from haicap.core.api import HaicapAPI, install_error_handlers
from haicap.dossiers.api import public_router as public_dossiers_router
from haicap.dossiers.api import router as dossiers_router
from haicap.exchange.inbound.api import router as inbound_router
from haicap.feedback.api import public_router as public_feedback_router
from haicap.feedback.api import router as feedback_router
from haicap.oversight.api import router as oversight_router
from haicap.reports.api import router as reports_router
from haicap.staffing.api import router as staffing_router
from haicap.units.api import router as units_router

api = HaicapAPI(
    title="haicap API",
    version="1",
    description=(
        "Operations platform of a province and its communes. Errors are "
        "`application/problem+json` with a stable `code`. Authenticate with "
        "`Authorization: Bearer <token>` (tokens are issued on the desk's account page)."
    ),
    auth=STAFF_AUTH,
    urls_namespace="api",
    docs_url="/docs",
)
install_error_handlers(api)
api.add_router("", accounts_router)
api.add_router("", units_router)
api.add_router("", calendar_router)
api.add_router("", dossiers_router)
api.add_router("", public_dossiers_router)
api.add_router("", inbound_router)
api.add_router("", oversight_router)
api.add_router("", staffing_router)
api.add_router("", assets_router)
api.add_router("", budget_router)
api.add_router("", feedback_router)
api.add_router("", public_feedback_router)
api.add_router("", reports_router)
