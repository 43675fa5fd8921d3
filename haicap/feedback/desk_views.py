from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kw: object) -> HttpResponse:
    raise Http404()  # replaced by the page's helper


queue = _todo
file_for_sender = _todo
detail = _todo
assign = _todo
start = _todo
step_deadline = _todo
transfer = _todo
answer = _todo
photo = _todo
attachment = _todo
