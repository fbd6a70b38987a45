"""The request type of the portal's pages, for type checking.

`LoginRequiredMiddleware` turns away anonymous requests before any view that is
not marked `login_not_required`, so those views see a signed-in `User`; Django
itself types `request.user` as `User | AnonymousUser`.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest


class AuthenticatedHttpRequest(HttpRequest):
    user: User
