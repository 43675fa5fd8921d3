"""The site's URLconf with a stand-in for the asset's page (``desk:assets:asset``, at
``/desk/tai-san/<id>/``) for as long as that page is built elsewhere: the gap and proposal
pages link each item to it. Used only where the real page does not resolve (``gap_world``)."""

from django.http import HttpRequest, HttpResponse
from django.urls import URLResolver, include, path

from haicap import urls as site
from haicap.assets import urls as assets
from haicap.desk import urls as desk


def _asset(request: HttpRequest, asset_id: int) -> HttpResponse:
    return HttpResponse(f"asset {asset_id}")


def _swap(patterns: list, namespace: str, replacement: URLResolver) -> list:
    return [
        replacement if isinstance(p, URLResolver) and p.namespace == namespace else p
        for p in patterns
    ]


_assets = ([*assets.urlpatterns, path("<id:asset_id>/", _asset, name="asset")], "assets")
_desk = (_swap(desk.urlpatterns, "assets", path("tai-san/", include(_assets))), "desk")
urlpatterns = _swap(site.urlpatterns, "desk", path("desk/", include(_desk)))
handler400 = site.handler400
handler404 = site.handler404
