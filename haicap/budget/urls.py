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
    path("chuyen-von/lap/", transfer_views.batch_draft, name="batch_draft"),
    path("chuyen-von/<id:batch_id>/", transfer_views.batch_detail, name="batch"),
    path("chuyen-von/<id:batch_id>/muc/", transfer_views.entry_add, name="batch_entry_add"),
    path(
        "chuyen-von/<id:batch_id>/muc/<id:entry_id>/",
        transfer_views.entry_amount,
        name="batch_entry",
    ),
    path(
        "chuyen-von/<id:batch_id>/muc/<id:entry_id>/xoa/",
        transfer_views.entry_remove,
        name="batch_entry_remove",
    ),
    path("chuyen-von/<id:batch_id>/phe-duyet/", transfer_views.batch_approve, name="batch_approve"),
]

# Monthly disbursement, rates, the pace, the monthly report and its chart.
urlpatterns += [
    path("giai-ngan/", disbursement_views.overview, name="disbursement"),
    path("giai-ngan/bieu-do.svg", disbursement_views.overview_chart, name="disbursement_chart"),
    path("giai-ngan/bao-cao.xlsx", disbursement_views.report_xlsx, name="disbursement_xlsx"),
    path("giai-ngan/bao-cao.pdf", disbursement_views.report_pdf, name="disbursement_pdf"),
    path("giai-ngan/nhap/", disbursement_views.enter_month, name="disbursement_enter"),
    path("giai-ngan/nhap-excel/", disbursement_views.import_month, name="disbursement_import"),
    path(
        "giai-ngan/nhap-excel/mau-nhap-giai-ngan.xlsx",
        disbursement_views.import_template,
        name="disbursement_import_template",
    ),
    path("giai-ngan/tien-do/", disbursement_views.pace_page, name="disbursement_pace"),
    path(
        "giai-ngan/du-an/<id:project_id>/",
        disbursement_views.project_year,
        name="disbursement_project",
    ),
    path(
        "giai-ngan/du-an/<id:project_id>/bieu-do.svg",
        disbursement_views.project_chart,
        name="disbursement_project_chart",
    ),
]

# The plan and its changes as a Fiscal Data Package.
urlpatterns += [
    path("du-lieu-mo/", open_data_views.open_data_page, name="open_data"),
    path("du-lieu-mo/ke-hoach-von.zip", open_data_views.open_data_zip, name="open_data_zip"),
    path(
        "du-lieu-mo/datapackage.json",
        open_data_views.open_data_descriptor,
        name="open_data_descriptor",
    ),
]
