"""`{% languages as choices %}`: the languages of the switch in the header, each named in itself."""

from __future__ import annotations

import unicodedata

from django import template
from django.conf import settings
from django.utils.translation import get_language_info

register = template.Library()


@register.simple_tag
def languages() -> list[tuple[str, str]]:
    """(code, name) of each language in settings.LANGUAGES: "Tiếng Việt", "English".

    In NFC, the form typed text and the portal's strings take: Django writes "Tiếng Việt"
    with combining accents, which a search for the name would not find.
    """
    return [
        (code, unicodedata.normalize("NFC", get_language_info(code)["name_local"]))
        for code, _name in settings.LANGUAGES
    ]
