"""Open311 GeoReport v2: each resource in JSON (``.json``) or the spec's XML (``.xml``)."""

from django.urls import path

from haicap.feedback import open311

app_name = "open311"

urlpatterns = [
    path("services.json", open311.services, name="services"),
    path("services/<str:code>.json", open311.service_definition, name="service"),
    path("requests.json", open311.service_requests, name="requests"),
    path("requests/<str:request_id>.json", open311.service_request, name="request"),
    path("services.xml", open311.services, {"form": "xml"}, name="services_xml"),
    path(
        "services/<str:code>.xml", open311.service_definition, {"form": "xml"}, name="service_xml"
    ),
    path("requests.xml", open311.service_requests, {"form": "xml"}, name="requests_xml"),
    path(
        "requests/<str:request_id>.xml",
        open311.service_request,
        {"form": "xml"},
        name="request_xml",
    ),
]
