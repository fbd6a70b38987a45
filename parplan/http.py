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


def signed_in_user(request: HttpRequest) -> User:
    """The request's person where only a signed-in one can be there (the admin site, a login-only view)."""
    user = request.user
    if not isinstance(user, User):
        raise TypeError("this view serves signed-in people only")
    return user
