"""The oversight pages, under the desk (``/desk/giam-sat/``)."""

from django.urls import path

from haicap.core import converters  # noqa: F401  (registers <id:…>)
from haicap.oversight import directive_views as directives
from haicap.oversight import follow_up_views as follow_up

app_name = "oversight"

urlpatterns: list = [
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
