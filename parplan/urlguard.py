"""Control characters in a URL are a bad request, before any view reads them.

PostgreSQL refuses a NUL in a string literal, so `/units/%00/` or `?unit=a%00b`
reached the database and answered 500. No address of the portal holds a control
character, so the request is refused as a whole (400, the portal's error page).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse

# C0 controls and DEL; a URL's text never needs them (a form's text areas post in the body).
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class ControlCharactersInUrlMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_control_characters(request):
            # Django turns BadRequest into handler400 (parplan.errors.bad_request).
            raise BadRequest("control character in the URL")
        return self.get_response(request)


def has_control_characters(request: HttpRequest) -> bool:
    if _CONTROL.search(request.path):
        return True
    return any(_CONTROL.search(key) or any(_CONTROL.search(v) for v in values) for key, values in request.GET.lists())
