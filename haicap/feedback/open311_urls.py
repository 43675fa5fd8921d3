from django.urls import path

from haicap.feedback import open311

app_name = "open311"

urlpatterns = [
    path("services.json", open311.services, name="services"),
    path("services/<str:code>.json", open311.service_definition, name="service"),
    path("requests.json", open311.requests, name="requests"),
    path("requests/<str:request_id>.json", open311.request, name="request"),
]
