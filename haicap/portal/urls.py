from django.urls import path

from haicap.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("tra-cuu-ho-so/", views.dossier_lookup, name="dossier_lookup"),
]
