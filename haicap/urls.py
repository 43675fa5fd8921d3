from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from haicap.api import api
from haicap.core.views import healthz

admin.site.site_header = _("haicap administration")
admin.site.site_title = "haicap"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("desk/admin/", admin.site.urls),
    path("desk/", include("haicap.desk.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("haicap.portal.urls")),
]
