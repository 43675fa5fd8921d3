"""The oversight pages, under the desk (``/desk/giam-sat/``)."""

from django.urls import path
from django.views.generic import RedirectView

from haicap.core import converters  # noqa: F401  (registers <id:…>)
from haicap.oversight import directive_views as directives
from haicap.oversight import follow_up_views as follow_up
from haicap.oversight import group_views, inspection_views, notice_views, pack_views

app_name = "oversight"

INSPECTION = "kiem-tra/<id:inspection_id>/"

urlpatterns: list = [
    path("", RedirectView.as_view(pattern_name="desk:oversight:groups"), name="home"),
    # working groups and their inspections
    path("to-cong-tac/", group_views.group_list, name="groups"),
    path("to-cong-tac/<id:group_id>/", group_views.group_detail, name="group"),
    path(
        "to-cong-tac/<id:group_id>/kiem-tra-moi/",
        inspection_views.plan_inspection,
        name="plan_inspection",
    ),
    path(INSPECTION, inspection_views.inspection_detail, name="inspection"),
    path(f"{INSPECTION}bat-dau/", inspection_views.start_inspection, name="start_inspection"),
    path(f"{INSPECTION}ket-luan/", inspection_views.conclude_inspection, name="conclude"),
    path(f"{INSPECTION}phat-hien/", inspection_views.record_finding, name="record_finding"),
    path(
        f"{INSPECTION}phat-hien/<id:finding_id>/tep/<id:paper_id>/",
        inspection_views.finding_paper,
        name="finding_paper",
    ),
    path(f"{INSPECTION}tai-lieu/", pack_views.briefing_pack, name="briefing_pack"),
    path(f"{INSPECTION}tai-lieu.pdf", pack_views.briefing_pack_pdf, name="briefing_pack_pdf"),
    path(f"{INSPECTION}tai-lieu.xlsx", pack_views.briefing_pack_xlsx, name="briefing_pack_xlsx"),
    path(f"{INSPECTION}thong-bao.docx", notice_views.notice_docx, name="notice_docx"),
    path(f"{INSPECTION}thong-bao.pdf", notice_views.notice_pdf, name="notice_pdf"),
    # directives and their follow-up
    path("nhiem-vu/", follow_up.directive_list, name="directive_list"),
    path("nhiem-vu/moi/", directives.directive_start, name="directive_start"),
    path(
        "dot-kiem-tra/<id:inspection_id>/nhiem-vu/moi/",
        directives.issue_directive,
        name="issue_directive",
    ),
    path("nhiem-vu/<id:directive_id>/", directives.directive_detail, name="directive"),
    path("nhiem-vu/<id:directive_id>/cap-nhat/", directives.post_update, name="post_update"),
    path("nhiem-vu/<id:directive_id>/dong/", directives.close_directive, name="close_directive"),
    path(
        "nhiem-vu/<id:directive_id>/tep/<id:paper_id>/",
        directives.update_paper,
        name="update_paper",
    ),
    path("theo-doi/", follow_up.follow_up, name="follow_up"),
]
