import pytest

from urja.notifications.rendering import RenderRefused, dlt_form, render

BODY = "Urja: Rs {#amount#} received for a/c {#account#}."


def test_renders_exactly():
    assert (
        render(BODY, {"amount": "100.00", "account": "1234567890"})
        == "Urja: Rs 100.00 received for a/c 1234567890."
    )
    assert dlt_form(BODY) == "Urja: Rs {#var#} received for a/c {#var#}."


@pytest.mark.parametrize(
    ("variables", "why"),
    [
        ({"amount": "1"}, "missing"),
        ({"amount": "1", "account": "2", "extra": "3"}, "not in the template"),
        ({"amount": "1" * 31, "account": "2"}, "longer than 30"),
        ({"amount": "", "account": "2"}, "empty"),
        ({"amount": "1\n2", "account": "2"}, "control"),
        ({"amount": "{#var#}", "account": "2"}, "control"),
    ],
)
def test_refuses_what_does_not_fit(variables, why):
    with pytest.raises(RenderRefused, match=why):
        render(BODY, variables)


def test_thirty_characters_fit():
    assert "x" * 30 in render(BODY, {"amount": "x" * 30, "account": "2"})
