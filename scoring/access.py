"""Access to the scoring, checked in one place per object (rule: docs/scoring.md, docs/access.md).

Denied by default. A unit's heads and staff (`parplan.self_score`, granted on
their own unit only) see and edit their own unit's self-assessment, only while its
step is open; the secretariat (`scoring.change_scoringround` by role over the
authority) appraises; whoever reads rounds by role over the authority
(`scoring.view_scoringround`: the secretariat, the steering committee) reads
every unit's results.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from evidence.owners import EvidenceOwner
from parplan.access import has_perm_at
from parplan.models import Unit
from scoring.models import Criterion, Score, ScoringRound, ScoringTree, Step


def can_manage(user: User, scoring_round: ScoringRound) -> bool:
    """Open rounds, appraise, enter the survey part: the authority's secretariat."""
    return has_perm_at(user, "scoring.change_scoringround", scoring_round.tree.authority.path)


def can_read_results(user: User, scoring_round: ScoringRound) -> bool:
    """Every unit's scores and the ranking: the secretariat and the steering committee."""
    return can_read_authority_results(user, scoring_round.tree.authority)


def can_read_authority_results(user: User, authority: Unit) -> bool:
    return has_perm_at(user, "scoring.view_scoringround", authority.path)


def can_self_score(user: User, unit: Unit) -> bool:
    """Object rights only: a role over the authority (the secretariat's) does not score a unit's own work."""
    return user.has_perm("parplan.self_score", unit)


def can_read_unit_scores(user: User, scoring_round: ScoringRound, unit: Unit) -> bool:
    return can_self_score(user, unit) or can_read_results(user, scoring_round)


def can_edit_trees(user: User, authority: Unit) -> bool:
    """Write, import, copy a criteria tree and open its round: the authority's secretariat."""
    return has_perm_at(user, "scoring.change_scoringtree", authority.path)


def can_read_trees(user: User, authority: Unit) -> bool:
    return has_perm_at(user, "scoring.view_scoringtree", authority.path)


def get_authority_for_trees(user: User, code: str) -> Unit:
    """The authority whose trees `user` reads (404 otherwise: another authority's trees are nobody's business)."""
    authority = get_object_or_404(Unit, code=code)
    if not can_read_trees(user, authority):
        raise Http404
    return authority


def get_authority_for_tree_edit(user: User, code: str) -> Unit:
    authority = get_authority_for_trees(user, code)
    if not can_edit_trees(user, authority):
        raise PermissionDenied
    return authority


def get_tree_for_user(user: User, pk: int, *, edit: bool = False) -> ScoringTree:
    """A tree `user` reads (404 when not), or changes with `edit` (403 when they only read it)."""
    tree = get_object_or_404(ScoringTree.objects.select_related("authority"), pk=pk)
    if not can_read_trees(user, tree.authority):
        raise Http404
    if edit and not can_edit_trees(user, tree.authority):
        raise PermissionDenied
    return tree


def get_criterion_for_edit(user: User, pk: int) -> Criterion:
    criterion = get_object_or_404(Criterion.objects.select_related("tree__authority", "parent"), pk=pk)
    get_tree_for_user(user, criterion.tree_id, edit=True)
    return criterion


def _round(pk: int) -> ScoringRound:
    return get_object_or_404(ScoringRound.objects.select_related("tree__authority"), pk=pk)


def get_round_for_results(user: User, pk: int) -> ScoringRound:
    scoring_round = _round(pk)
    if not can_read_results(user, scoring_round):
        raise Http404
    return scoring_round


def get_round_for_manage(user: User, pk: int) -> ScoringRound:
    scoring_round = _round(pk)
    if not can_manage(user, scoring_round):
        if can_read_results(user, scoring_round):
            raise PermissionDenied
        raise Http404
    return scoring_round


def get_unit_sheet(user: User, pk: int, code: str) -> tuple[ScoringRound, Unit]:
    """The round and the unit whose scorecard `user` may read (their own unit, or any as a reader of results)."""
    scoring_round = _round(pk)
    unit = get_object_or_404(Unit.objects.select_related("kind"), code=code)
    if not can_read_unit_scores(user, scoring_round, unit):
        raise Http404
    return scoring_round, unit


def get_score_for_unit(user: User, pk: int) -> Score:
    """A score its unit's people may change (self-score, explain)."""
    score = get_object_or_404(Score.objects.select_related("round__tree__authority", "unit", "criterion"), pk=pk)
    if not can_self_score(user, score.unit):
        if can_read_results(user, score.round):
            raise PermissionDenied
        raise Http404
    return score


def get_score_for_appraisal(user: User, pk: int) -> Score:
    score = get_object_or_404(Score.objects.select_related("round__tree__authority", "unit", "criterion"), pk=pk)
    if not can_manage(user, score.round):
        if can_self_score(user, score.unit) or can_read_results(user, score.round):
            raise PermissionDenied
        raise Http404
    return score


# --- A score's evidence files (registered with evidence.owners in ScoringConfig.ready) ---


def score_evidence_frozen(score: Score) -> str | None:
    """Why a file of this score may not be removed now, or None."""
    if score.round.step != Step.SELF:
        return _("Đã hết bước tự chấm: tài liệu kiểm chứng được giữ nguyên để thẩm định.")
    # A self-score that required its evidence keeps at least one file (self_score checked it was there).
    if score.criterion.evidence_required and score.self_points is not None and score.evidence.count() <= 1:
        return _(
            "Tiêu chí %(code)s bắt buộc tài liệu kiểm chứng và đã tự chấm: đính kèm tệp khác trước khi xóa tệp này."
        ) % {"code": score.criterion.code}
    return None


def _score_for_evidence(pk: int, for_update: bool) -> Score | None:
    scores = Score.objects.select_related("unit", "round__tree__authority", "criterion")
    if for_update:
        scores = scores.select_for_update(of=("self",))
    return scores.filter(pk=pk).first()


def _score_page(score: Score) -> str:
    return reverse("scoring-sheet", args=[score.round_id, score.unit.code])


SCORE_EVIDENCE = EvidenceOwner(
    load=_score_for_evidence,
    can_view=lambda user, score: can_read_unit_scores(user, score.round, score.unit),
    can_remove=lambda user, score: can_self_score(user, score.unit),
    frozen=score_evidence_frozen,
    page=_score_page,
)
