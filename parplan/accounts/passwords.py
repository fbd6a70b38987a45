"""The password policy's one validator of our own (AUTH_PASSWORD_VALIDATORS, docs/access.md).

Django's Vietnamese catalogue lacks the too-short message of its current
wording, so the person would read it in English; the rule itself is Django's.
"""

from __future__ import annotations

from django.contrib.auth.password_validation import MinimumLengthValidator as DjangoMinimumLengthValidator
from django.utils.translation import ngettext


class MinimumLengthValidator(DjangoMinimumLengthValidator):
    def get_error_message(self) -> str:
        return ngettext(
            "Mật khẩu này quá ngắn: cần ít nhất %(min_length)d ký tự.",
            "Mật khẩu này quá ngắn: cần ít nhất %(min_length)d ký tự.",
            self.min_length,
        ) % {"min_length": self.min_length}
