from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from parplan.models import Membership


def memberships(request: HttpRequest) -> dict[str, Any]:
    """The signed-in person's units, for the header; queried only if a page shows them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"my_memberships": []}
    return {
        "my_memberships": SimpleLazyObject(lambda: list(Membership.objects.for_user(user))),
    }
