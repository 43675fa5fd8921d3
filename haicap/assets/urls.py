"""The assets pages, under the desk (``/desk/tai-san/``)."""

from django.urls import path

from haicap.assets import disposal_views, gap_views, takeover_views
from haicap.assets import register_views as register
from haicap.core import converters  # noqa: F401  (registers <id:…>)

app_name = "assets"

TAKEOVER = "ban-giao/<id:record_id>/"
PLAN = "tru-so-doi-du/<id:plan_id>/"

ASSET = "<id:asset_id>/"

urlpatterns: list = [
    # the register
    path("", register.asset_list, name="assets"),
    path("moi/", register.asset_new, name="asset_new"),
    path(ASSET, register.asset_detail, name="asset"),
    path(f"{ASSET}sua/", register.asset_edit, name="asset_edit"),
    path(f"{ASSET}tinh-trang/", register.asset_condition, name="asset_condition"),
    path(f"{ASSET}doi-du/", register.asset_surplus, name="asset_surplus"),
    path(f"{ASSET}dang-su-dung/", register.asset_in_use, name="asset_in_use"),
    path(f"{ASSET}bien-dong/", register.asset_move, name="asset_move"),
    path("nhap/", register.asset_import, name="asset_import"),
    path(
        "nhap/mau-nhap-tai-san.xlsx",
        register.asset_import_template,
        name="asset_import_template",
    ),
]

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
