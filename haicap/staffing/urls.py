"""The staffing pages, under the desk (``/desk/nhan-su/``)."""

from django.urls import path

from haicap.core import converters  # noqa: F401  (registers <id:…>)
from haicap.staffing import gap_views

app_name = "staffing"

urlpatterns: list = [
    # shortages: the province's table of communes by fields, and one commune in one field
    path("thieu-hut/", gap_views.gaps, name="gaps"),
    path(
        "thieu-hut/<id:unit_id>/<str:field_code>/",
        gap_views.commune_standing,
        name="commune_standing",
    ),
]
