"""The staffing pages, under the desk (``/desk/nhan-su/``)."""

from django.urls import path

from haicap.core import converters  # noqa: F401  (registers <id:…>)
from haicap.staffing import effect_views

app_name = "staffing"

urlpatterns: list = [
    path("biet-phai/", effect_views.secondments_in_effect, name="secondments_in_effect"),
    path("canh-bao/", effect_views.staff_warnings, name="staff_warnings"),
]
