"""The assets pages, under the desk (``/desk/tai-san/``)."""

from django.urls import path

from haicap.assets import disposal_views, takeover_views
from haicap.core import converters  # noqa: F401  (registers <id:…>)

app_name = "assets"

TAKEOVER = "ban-giao/<id:record_id>/"
PLAN = "tru-so-doi-du/<id:plan_id>/"

urlpatterns: list = []

# Take-over records of the abolished units.
urlpatterns += [
    path("ban-giao/", takeover_views.takeover_list, name="takeovers"),
    path("ban-giao/mo/", takeover_views.takeover_open, name="takeover_open"),
    path(TAKEOVER, takeover_views.takeover_detail, name="takeover"),
    path(f"{TAKEOVER}cac-ben/", takeover_views.takeover_parties, name="takeover_parties"),
    path(f"{TAKEOVER}tai-san/<id:line_id>/", takeover_views.takeover_line, name="takeover_line"),
    path(f"{TAKEOVER}ky/", takeover_views.takeover_sign, name="takeover_sign"),
    path(f"{TAKEOVER}bien-ban.docx", takeover_views.takeover_docx, name="takeover_docx"),
    path(f"{TAKEOVER}bien-ban.pdf", takeover_views.takeover_pdf, name="takeover_pdf"),
]

# Surplus offices' disposal plans.
urlpatterns += [
    path("tru-so-doi-du/", disposal_views.plan_list, name="disposal_plans"),
    path("tru-so-doi-du/moi/", disposal_views.plan_new, name="disposal_plan_new"),
    path(PLAN, disposal_views.plan_detail, name="disposal_plan"),
    path(f"{PLAN}tien-do/", disposal_views.plan_progress, name="disposal_plan_progress"),
    path(f"{PLAN}dong/", disposal_views.plan_close, name="disposal_plan_close"),
]
