"""The roles keep the rights on evidence they held while it lived in targets and tasks."""

from __future__ import annotations


def test_the_secretariat_holds_every_right_on_evidence(secretariat):
    assert all(secretariat.has_perm(f"evidence.{right}_evidence") for right in ("view", "add", "change", "delete"))


def test_the_steering_committee_may_only_view_evidence(steering):
    assert steering.has_perm("evidence.view_evidence")
    assert not any(steering.has_perm(f"evidence.{right}_evidence") for right in ("add", "change", "delete"))
