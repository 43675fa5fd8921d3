"""The assets pages, under the desk (``/desk/tai-san/``)."""

from django.urls import path

from haicap.assets import gap_views
from haicap.core import converters  # noqa: F401  (registers <id:…>)

app_name = "assets"

urlpatterns: list = []

# what each commune lacks: the gap table and a cell's items, the norms, allocation proposals
urlpatterns += [
    path("thieu-hut/", gap_views.gaps, name="gaps"),
    path("thieu-hut/<id:unit_id>/<id:kind_id>/", gap_views.gap_items, name="gap_items"),
    path("dinh-muc/", gap_views.norm_list, name="norms"),
    path("dinh-muc/moi/", gap_views.norm_new, name="norm_new"),
    path("dinh-muc/<id:norm_id>/sua/", gap_views.norm_edit, name="norm_edit"),
    path("dinh-muc/<id:norm_id>/xoa/", gap_views.norm_remove, name="norm_remove"),
    path("de-xuat/", gap_views.proposals, name="proposals"),
    path("de-xuat/chay/", gap_views.proposals_run, name="proposals_run"),
    path("de-xuat/<id:proposal_id>/duyet/", gap_views.proposal_approve, name="proposal_approve"),
    path("de-xuat/<id:proposal_id>/tu-choi/", gap_views.proposal_reject, name="proposal_reject"),
]
