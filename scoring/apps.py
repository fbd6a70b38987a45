from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("Chấm điểm Chỉ số CCHC")

    def ready(self) -> None:
        from evidence.owners import register_owner
        from parplan.models import Role
        from parplan.registries import UnitRight, register_role_app, register_unit_right
        from scoring import notices  # noqa: F401  (registers the scoring's notice kinds)
        from scoring.access import SCORE_EVIDENCE
        from scoring.models import Score

        register_role_app(self.label)
        # The unit's heads and staff self-score it; appraisal is the secretariat's by role (scoring.change_round).
        register_unit_right(
            UnitRight("self_score", _("Tự chấm điểm Chỉ số CCHC của đơn vị"), (Role.UNIT_HEAD, Role.UNIT_STAFF))
        )
        register_owner(Score, SCORE_EVIDENCE)
