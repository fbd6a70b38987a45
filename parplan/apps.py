from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_role_groups(sender: AppConfig, **kwargs: Any) -> None:
    # Role groups need the permissions that migrate creates app by app, so
    # they are (re)made after each app's migrate rather than in a migration.
    from parplan.services import roles_ensure_groups, unit_rights_ensure

    unit_rights_ensure()
    roles_ensure_groups()


class ParplanConfig(AppConfig):
    name = "parplan"
    verbose_name = _("Kế hoạch CCHC")

    def ready(self) -> None:
        from parplan import audit
        from parplan.accounts.sessions import session_started

        audit.connect()
        post_migrate.connect(_ensure_role_groups, dispatch_uid="parplan-role-groups")
        user_logged_in.connect(session_started, dispatch_uid="parplan-session-started")
