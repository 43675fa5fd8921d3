from django.urls import path

from haicap.kpi import views as kpi
from haicap.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.procedure_list, name="procedure_list"),
    path("thu-tuc/<str:national_code>/", views.procedure_detail, name="procedure_detail"),
    path("thu-tuc/<str:national_code>/nop-truc-tuyen/", views.file_online, name="file_online"),
    path("nop-truc-tuyen/<str:reference>/", views.filed, name="filed"),
    path("tra-cuu-ho-so/", views.dossier_lookup, name="dossier_lookup"),
    path("tra-cuu-ho-so/<str:code>/ket-qua.pdf", views.signed_result, name="signed_result"),
    path("so-lieu/", kpi.public_figures, name="figures"),
]
