"""The site's URLconf with a stand-in for the officer's page (``desk:staffing:officer``, at
``/desk/nhan-su/can-bo/<id>/``) for as long as that page is built elsewhere: the shortage pages
link each officer to it. Used only where the real page does not resolve (``gap_world``)."""

from django.http import HttpRequest, HttpResponse
from django.urls import URLResolver, include, path

from haicap import urls as site
from haicap.desk import urls as desk
from haicap.staffing import urls as staffing


def _officer(request: HttpRequest, officer_id: int) -> HttpResponse:
    return HttpResponse(f"officer {officer_id}")


def _swap(patterns: list, namespace: str, replacement: URLResolver) -> list:
    return [
        replacement if isinstance(p, URLResolver) and p.namespace == namespace else p
        for p in patterns
    ]


_staffing = (
    [*staffing.urlpatterns, path("can-bo/<id:officer_id>/", _officer, name="officer")],
    "staffing",
)
_desk = (_swap(desk.urlpatterns, "staffing", path("nhan-su/", include(_staffing))), "desk")
urlpatterns = _swap(site.urlpatterns, "desk", path("desk/", include(_desk)))
handler400 = site.handler400
handler404 = site.handler404
