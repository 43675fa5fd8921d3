"""The staffing pages, under the desk (``/desk/nhan-su/``)."""

from django.urls import path

from haicap.core import converters  # noqa: F401  (registers <id:…>)
from haicap.staffing import effect_views, gap_views

app_name = "staffing"

urlpatterns: list = [
    path("biet-phai/", effect_views.secondments_in_effect, name="secondments_in_effect"),
    path("canh-bao/", effect_views.staff_warnings, name="staff_warnings"),
    # shortages: the province's table of communes by fields, and one commune in one field
    path("thieu-hut/", gap_views.gaps, name="gaps"),
    path(
        "thieu-hut/<id:unit_id>/<str:field_code>/",
        gap_views.commune_standing,
        name="commune_standing",
    ),
]
