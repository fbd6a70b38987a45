"""Languages: Vietnamese is the portal's source language; English is a translation (docs/i18n.md).

A page speaks the reader's language: the one chosen with the switch in the header
(ChosenLanguageMiddleware), Vietnamese until then.
Text the portal writes into the database for others to read later (notices, the
reasons in the change history, period names, parsed indicator names) is written
in the site's language, settings.LANGUAGE_CODE, whoever's request writes it: a
secretariat clerk reading in English must not send a commune English notices.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


def site_language() -> translation.override:
    """`with site_language():` composes stored text in settings.LANGUAGE_CODE."""
    return translation.override(settings.LANGUAGE_CODE)


class ChosenLanguageMiddleware:
    """The language the person chose with the switch (Django's language cookie), else the site's.

    Unlike Django's LocaleMiddleware, the browser's Accept-Language does not choose: the
    portal is Vietnamese, and an official whose browser or Windows is in English reads it
    in Vietnamese until they press "English".
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        translation.activate(chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response
