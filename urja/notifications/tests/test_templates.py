import pytest

from urja.notifications.choices import Category, Event
from urja.notifications.models import MessageTemplate
from urja.notifications.rendering import MAX_VARIABLE_LENGTH, variable_names

pytestmark = pytest.mark.django_db


def test_every_event_has_a_hindi_and_an_english_template():
    seeded = {(t.event, t.language) for t in MessageTemplate.objects.all()}
    assert seeded == {(event, language) for event in Event.values for language in ("hi", "en")}


def test_templates_carry_dlt_fields_and_the_same_variables_in_both_languages():
    for event in Event.values:
        hi = MessageTemplate.objects.get(event=event, language="hi")
        en = MessageTemplate.objects.get(event=event, language="en")
        assert sorted(variable_names(hi.body)) == sorted(variable_names(en.body)), event
        assert len(hi.sender) == 6 and hi.category == en.category
        assert any("\u0900" <= ch <= "\u097f" for ch in hi.body)  # Devanagari (Unicode)
    assert MessageTemplate.objects.get(event="due_reminder", language="hi").category == Category.OPTIONAL
    assert MessageTemplate.objects.get(event="otp", language="hi").category == Category.ESSENTIAL
    assert MAX_VARIABLE_LENGTH == 30
