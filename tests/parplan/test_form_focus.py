"""A form sent back with errors puts the focus on its first field with one; a clean form takes none."""

from __future__ import annotations

from django import forms

from parplan.forms import PortalForm


class _Two(PortalForm):
    first = forms.CharField()
    second = forms.IntegerField()


def test_the_first_field_with_an_error_takes_the_focus_and_no_other():
    form = _Two({"first": "có", "second": "không phải số"})
    assert not form.is_valid()
    assert "autofocus" in str(form["second"]) and "autofocus" not in str(form["first"])
    both = _Two({"first": "", "second": ""})
    assert not both.is_valid()
    assert "autofocus" in str(both["first"]) and "autofocus" not in str(both["second"])


def test_an_unbound_or_valid_form_takes_no_focus():
    assert "autofocus" not in str(_Two()["first"])
    valid = _Two({"first": "có", "second": "3"})
    assert valid.is_valid() and "autofocus" not in str(valid["first"]) + str(valid["second"])


def test_an_error_added_by_a_service_after_the_check_takes_the_focus_too():
    form = _Two({"first": "có", "second": "3"})
    assert form.is_valid()
    form.add_error("second", "Bị từ chối.")
    assert "autofocus" in str(form["second"])
