"""The staffing pages, under the desk (``/desk/nhan-su/``)."""

from django.urls import path

from haicap.core import converters  # noqa: F401  (registers <id:…>)
from haicap.staffing import staff_views as staff

app_name = "staffing"

urlpatterns: list = [
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
