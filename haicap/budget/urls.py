"""The capital pages, under the desk (``/desk/von-dau-tu/``)."""

from django.urls import path

from haicap.budget import disbursement_views, open_data_views, project_views, transfer_views
from haicap.core import converters  # noqa: F401  (registers <id:…>)

app_name = "budget"

# Projects, their plans and ledger entries, the plan import.
PROJECT = "du-an/<id:project_id>/"

urlpatterns: list = [
    path("", project_views.project_list, name="projects"),
    path(PROJECT, project_views.project_detail, name="project"),
    path(f"{PROJECT}dieu-chinh/", project_views.project_adjust, name="project_adjust"),
    path("but-toan/<id:entry_id>/dao/", project_views.entry_reverse, name="entry_reverse"),
    path("nhap/", project_views.plan_import, name="plan_import"),
    path(
        "nhap/mau-nhap-ke-hoach-von.xlsx",
        project_views.plan_import_template,
        name="plan_import_template",
    ),
]

# Transfer batches of the abolished districts' capital.
urlpatterns += [
    path("chuyen-von/", transfer_views.batch_list, name="batches"),
]

# Monthly disbursement, rates, the pace, the monthly report and its chart.
urlpatterns += [
    path("giai-ngan/", disbursement_views.overview, name="disbursement"),
]

# The plan and its changes as a Fiscal Data Package.
urlpatterns += [
    path("du-lieu-mo/", open_data_views.open_data, name="open_data"),
]
