"""The assets pages, under the desk (``/desk/tai-san/``)."""

from django.urls import path

from haicap.assets import register_views as register
from haicap.core import converters  # noqa: F401  (registers <id:…>)

app_name = "assets"

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
