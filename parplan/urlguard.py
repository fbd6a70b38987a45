"""Control characters in a URL are a bad request, before any view reads them.

PostgreSQL refuses a NUL in a string literal, so `/units/%00/` or `?unit=a%00b`
reached the database and answered 500. No address of the portal holds a control
character, so the request is refused as a whole (400, the portal's error page).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse

from parplan.validators import has_control_characters


class ControlCharactersInUrlMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _url_has_control_characters(request):
            # Django turns BadRequest into handler400 (parplan.errors.bad_request).
            raise BadRequest("control character in the URL")
        return self.get_response(request)


def _url_has_control_characters(request: HttpRequest) -> bool:
    # The forms' rule for one-line text (parplan.validators): a URL never needs a tab or a line break.
    texts = [request.path, *(text for key, values in request.GET.lists() for text in (key, *values))]
    return any(has_control_characters(text) for text in texts)
