"""The console's consumer search page: an exact account number opens the consumer, a list says how
many matched, and nothing of another office shows through any search path."""

import pytest
from django.urls import reverse

from urja.testing import ConsumerFactory


@pytest.fixture
def people(two_subdivisions):
    t = two_subdivisions
    t["ramesh"] = ConsumerFactory(
        office=t["dc_a"], name="Ramesh Verma", village_town="Rampur", mobile="9876504321"
    )
    t["ramesh_b"] = ConsumerFactory(
        office=t["dc_b"], name="Ramesh Verma", village_town="Rampur", mobile="9876604321"
    )
    return t


def _search(client, user, query, **kwargs):
    client.force_login(user)
    return client.get(reverse("staff:home"), {"q": query}, **kwargs)


@pytest.mark.django_db
def test_an_exact_account_number_opens_the_consumer(client, people):
    response = _search(client, people["je_a"], people["ramesh"].account_number)
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:consumer_detail", args=[people["ramesh"].account_number])


@pytest.mark.django_db
def test_an_account_number_of_another_office_opens_nothing(client, people):
    response = _search(client, people["je_a"], people["ramesh_b"].account_number)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="no-results"' in body
    assert reverse("staff:consumer_detail", args=[people["ramesh_b"].account_number]) not in body


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["4321", "Rammesh Rampur", "Ramesh, Raampur", "Verma 4321"])
def test_the_list_says_how_many_matched_and_shows_only_the_office(client, people, query):
    response = _search(client, people["je_a"], query)
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["found"].count == 1
    assert 'data-testid="result-count"' in body and "1 consumer matched." in body
    assert people["ramesh"].account_number in body
    assert people["ramesh_b"].account_number not in body


@pytest.mark.django_db
def test_the_count_in_hindi(client, people):
    client.cookies["django_language"] = "hi"
    response = _search(client, people["sdo_a"], "Ramesh", HTTP_ACCEPT_LANGUAGE="hi")
    assert "1 उपभोक्ता मिला।" in response.content.decode()


@pytest.mark.django_db
def test_results_are_cards_on_a_phone_with_a_label_on_every_cell(client, people):
    body = _search(client, people["je_a"], "Ramesh").content.decode()
    assert 'class="cards"' in body
    row = body.split("<tbody>")[1].split("</tr>")[0]
    assert row.count("<td") == row.count("data-label=")
