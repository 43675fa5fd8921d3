from django.contrib import admin
from django.http import HttpRequest
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from haicap.accounts.views import admin_sign_in
from haicap.api import api
from haicap.core.views import bad_request, not_found
from haicap.operations.views import healthz, healthz_live, metrics
from haicap.payments.views import confirmation as payment_confirmation

admin.site.site_header = _("haicap administration")
admin.site.site_title = "haicap"


def _system_administrators_only(request: HttpRequest) -> bool:
    """The admin shows every commune's records, so only system administrators may enter it."""
    user = request.user
    return bool(user.is_active and user.is_superuser)


admin.site.has_permission = _system_administrators_only

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("healthz/live", healthz_live, name="healthz_live"),
    path("metrics", metrics, name="metrics"),
    path("api/v1/", api.urls),
    # The payment gateway's signed confirmations (not under /api/v1/: the gateway's format).
    path("api/payments/confirmations", payment_confirmation, name="payment_confirmation"),
    # One sign-in page for everybody, with its throttle and audit; the admin's own is not used.
    path("desk/admin/login/", admin_sign_in, name="admin_sign_in"),
    path("desk/admin/", admin.site.urls),
    path("desk/", include("haicap.desk.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("open311/v2/", include("haicap.feedback.open311_urls")),
    path("", include("haicap.feedback.public_urls")),
    path("", include("haicap.portal.urls")),
]

# Under /api/ these answer application/problem+json like the API itself; elsewhere, pages.
handler400 = bad_request
handler404 = not_found
