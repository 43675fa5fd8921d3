from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kw: object) -> HttpResponse:
    raise Http404()  # replaced by the page's helper


figures = _todo
