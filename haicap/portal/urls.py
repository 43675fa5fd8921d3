from django.urls import path

from haicap.kpi import views as kpi
from haicap.portal import fee_views, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.procedure_list, name="procedure_list"),
    path("thu-tuc/<str:national_code>/", views.procedure_detail, name="procedure_detail"),
    path("thu-tuc/<str:national_code>/nop-truc-tuyen/", views.file_online, name="file_online"),
    path("nop-truc-tuyen/<str:reference>/", views.filed, name="filed"),
    path("nop-truc-tuyen/<str:reference>/thanh-toan/", views.pay, name="pay"),
    path("tra-cuu-ho-so/", views.dossier_lookup, name="dossier_lookup"),
    path("le-phi/<str:reference>/thanh-toan/", fee_views.pay_fee, name="pay_fee"),
    path("le-phi/<str:reference>/bien-nhan.pdf", fee_views.fee_receipt, name="fee_receipt"),
    path("tra-cuu-ho-so/<str:code>/ket-qua.pdf", views.signed_result, name="signed_result"),
    path("so-lieu/", kpi.public_figures, name="figures"),
]
