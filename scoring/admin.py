from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from scoring.models import Criterion, Score, ScoringRound, ScoringTree


@admin.register(ScoringTree)
class ScoringTreeAdmin(SimpleHistoryAdmin):
    list_display = ("title", "year", "group", "locked_at")


@admin.register(Criterion)
class CriterionAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "tree", "max_points", "part")
    list_filter = ("tree",)


@admin.register(ScoringRound)
class ScoringRoundAdmin(SimpleHistoryAdmin):
    list_display = ("tree", "step", "self_until", "final_until")


@admin.register(Score)
class ScoreAdmin(SimpleHistoryAdmin):
    list_display = ("round", "unit", "criterion", "self_points", "appraised_points", "final_points")
    list_filter = ("round",)
