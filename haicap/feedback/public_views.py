from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kw: object) -> HttpResponse:
    raise Http404()  # replaced by the page's helper


answered_list = _todo
file_petition = _todo
filed = _todo
look_up = _todo
answered_detail = _todo
