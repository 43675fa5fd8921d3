"""The staffing pages, under the desk (``/desk/nhan-su/``)."""

from django.urls import path

from haicap.core import converters  # noqa: F401  (registers <id:…>)
from haicap.staffing import effect_views, gap_views, plan_views
from haicap.staffing import staff_views as staff

app_name = "staffing"

PLAN = "ke-hoach/<id:plan_id>/"

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
    # secondment plans
    path("ke-hoach/", plan_views.plan_list, name="plans"),
    path("ke-hoach/moi/", plan_views.plan_request, name="plan_request"),
    path(PLAN, plan_views.plan_detail, name="plan"),
    path(f"{PLAN}luu/", plan_views.plan_save, name="plan_save"),
    path(f"{PLAN}bo/", plan_views.plan_remove, name="plan_remove"),
    path(f"{PLAN}them/", plan_views.plan_add, name="plan_add"),
    path(f"{PLAN}trinh/", plan_views.plan_submit, name="plan_submit"),
    path(f"{PLAN}phe-duyet/", plan_views.plan_approve, name="plan_approve"),
    path(f"{PLAN}sua-doi/", plan_views.plan_revise, name="plan_revise"),
    path(f"{PLAN}huy/", plan_views.plan_discard, name="plan_discard"),
    path(f"{PLAN}quyet-dinh/", plan_views.plan_decisions, name="plan_decisions"),
    path("ke-hoach/<id:plan_id>.xlsx", plan_views.plan_xlsx, name="plan_xlsx"),
    # who works where
    path("can-bo/", staff.officer_list, name="officers"),
    path("can-bo/moi/", staff.officer_new, name="officer_new"),
    path("can-bo/vi-tri/", staff.officer_positions, name="officer_positions"),
    path("can-bo/<id:officer_id>/", staff.officer_detail, name="officer"),
    path("can-bo/<id:officer_id>/sua/", staff.officer_edit, name="officer_edit"),
    path("can-bo/<id:officer_id>/xoa/", staff.officer_remove, name="officer_remove"),
    path("vi-tri/", staff.position_list, name="positions"),
    path("vi-tri/moi/", staff.position_new, name="position_new"),
    path("vi-tri/<id:position_id>/sua/", staff.position_edit, name="position_edit"),
    path("vi-tri/<id:position_id>/xoa/", staff.position_remove, name="position_remove"),
    path("dinh-muc/", staff.norm_list, name="norms"),
    path("dinh-muc/moi/", staff.norm_new, name="norm_new"),
    path("dinh-muc/<id:norm_id>/sua/", staff.norm_edit, name="norm_edit"),
    path("dinh-muc/<id:norm_id>/xoa/", staff.norm_remove, name="norm_remove"),
    path("nhap/", staff.import_staff, name="import"),
    path("nhap/mau-nhap-nhan-su.xlsx", staff.import_template, name="import_template"),
]
