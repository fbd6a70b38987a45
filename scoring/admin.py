"""The scoring in the admin: read-only and scoped to the person's authorities; the screens and services write it."""

from __future__ import annotations

from django.contrib import admin

from parplan.admin import SCOPE_LOOKUPS, ReadOnlyAdmin
from scoring.models import Criterion, Score, ScoringRound, ScoringTree

SCOPE_LOOKUPS.update(
    {
        ScoringTree: "authority__path",
        Criterion: "tree__authority__path",
        ScoringRound: "tree__authority__path",
        Score: "round__tree__authority__path",
    }
)


@admin.register(ScoringTree)
class ScoringTreeAdmin(ReadOnlyAdmin):
    list_display = ("title", "year", "group", "locked_at")


@admin.register(Criterion)
class CriterionAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "tree", "max_points", "part")
    list_filter = ("tree",)


@admin.register(ScoringRound)
class ScoringRoundAdmin(ReadOnlyAdmin):
    list_display = ("tree", "step", "self_until", "final_until")


@admin.register(Score)
class ScoreAdmin(ReadOnlyAdmin):
    list_display = ("round", "unit", "criterion", "self_points", "appraised_points", "final_points")
    list_filter = ("round",)
    list_select_related = ("round__tree", "unit", "criterion")
