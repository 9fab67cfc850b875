"""Refusals in their own module (plans.words.messages): services and access policy word their
refusals from it, never from the presentation module (plans.words.wording)."""

import pathlib

import pytest
from django.utils import translation

import plans
from plans.words import messages, wording

PLANS = pathlib.Path(plans.__file__).parent


@pytest.mark.parametrize("layer", ["services", "policy"])
def test_it_keeps_the_presentation_words_out_of_services_and_policy(layer):
    borrowing = [
        str(path.relative_to(PLANS))
        for path in (PLANS / layer).rglob("*.py")
        if "plans.words.wording" in path.read_text(encoding="utf-8")
        or "from plans.words import wording" in path.read_text(encoding="utf-8")
    ]
    assert borrowing == []


def test_the_pages_and_the_services_say_a_refusal_with_the_same_function():
    assert wording.plan_closed_message is messages.plan_closed_message
    assert wording.approved_lock_message is messages.approved_lock_message


def test_it_says_why_a_submitted_report_is_frozen_and_how_to_change_it():
    with translation.override("vi"):
        message = messages.submitted_lock_message("Sở Nội vụ", 2017)
    assert "Sở Nội vụ năm 2017 đã được gửi" in message
    assert "Rút lại để sửa" in message
