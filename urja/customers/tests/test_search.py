"""Staff search: last four digits of the mobile, name with village tolerating spelling errors, exact
account numbers; always inside the searcher's offices."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from urja.customers.selectors import consumer_find, consumer_search
from urja.testing import ConsumerFactory, UserFactory


@pytest.fixture
def people(two_subdivisions):
    t = two_subdivisions
    dc_a, dc_b = t["dc_a"], t["dc_b"]
    return {
        **t,
        "ramesh": ConsumerFactory(
            office=dc_a,
            name="Ramesh Kumar Verma",
            name_hi="रमेश कुमार वर्मा",
            village_town="Rampur",
            mobile="9876504321",
        ),
        "ramesh_elsewhere": ConsumerFactory(
            office=dc_a, name="Ramesh Yadav", village_town="Sitapur", mobile="9876511111"
        ),
        "suresh": ConsumerFactory(
            office=dc_a, name="Suresh Shukla", village_town="Rampur", mobile="9876522222"
        ),
        # another office: same name, same village, same last four digits
        "ramesh_b": ConsumerFactory(
            office=dc_b, name="Ramesh Kumar Verma", village_town="Rampur", mobile="9876604321"
        ),
    }


def _accounts(found):
    return {c.account_number for c in found.consumers}


@pytest.mark.django_db
def test_last_four_digits_of_the_mobile(people):
    found = consumer_find(principal=people["je_a"], query="4321")
    assert _accounts(found) == {people["ramesh"].account_number}
    assert found.count == 1 and not found.exact_account


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "Ramesh Rampur",
        "Rammesh Raampur",
        "ramess rampur",
        "Rampur Ramesh",
        "Ramesh, Rampur",
        "Rmesh Rampru",
        "रमेश Rampur",
        "रामेश",
    ],
)
def test_name_with_village_tolerates_small_spelling_errors(people, query):
    found = consumer_find(principal=people["je_a"], query=query)
    assert people["ramesh"].account_number in _accounts(found)
    assert people["ramesh_b"].account_number not in _accounts(found)  # another office
    if "Rampur" in query or "Raampur" in query or "rampur" in query:
        assert people["ramesh_elsewhere"].account_number not in _accounts(found)  # another village
        assert people["suresh"].account_number not in _accounts(found)  # another name


@pytest.mark.django_db
def test_a_comma_separates_the_name_from_the_village(people):
    # "Rampur" after the comma is only a village: nobody is named Rampur
    found = consumer_find(principal=people["je_a"], query="Suresh, Rampur")
    assert _accounts(found) == {people["suresh"].account_number}
    assert consumer_find(principal=people["je_a"], query="Rampur, Suresh").count == 0


@pytest.mark.django_db
def test_name_with_last_four_digits(people):
    found = consumer_find(principal=people["je_a"], query="Ramesh 1111")
    assert _accounts(found) == {people["ramesh_elsewhere"].account_number}


@pytest.mark.django_db
def test_names_spelt_as_typed_come_first_and_the_count_is_of_all_matches(people):
    ConsumerFactory(office=people["dc_a"], name="Rmesh Singh", village_town="Rampur")
    found = consumer_find(principal=people["je_a"], query="Ramesh")
    assert [c.name for c in found.consumers][:2] == ["Ramesh Kumar Verma", "Ramesh Yadav"]
    assert found.count == 3
    limited = consumer_find(principal=people["je_a"], query="Ramesh", limit=1)
    assert len(limited.consumers) == 1 and limited.count == 3


@pytest.mark.django_db
def test_exact_account_number_is_marked_and_stays_in_the_office(people):
    mine = consumer_find(principal=people["je_a"], query=people["ramesh"].account_number)
    assert mine.exact_account and _accounts(mine) == {people["ramesh"].account_number}
    theirs = consumer_find(principal=people["je_a"], query=people["ramesh_b"].account_number)
    assert theirs.count == 0 and theirs.consumers == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["4321", "Ramesh Rampur", "Rammesh", "9876604321", "Ramesh, Rampur", "Verma 4321"]
)
def test_no_search_path_reaches_another_office(people, query):
    for user_key, other_key in (("je_a", "ramesh_b"), ("je_b", "ramesh")):
        found = consumer_find(principal=people[user_key], query=query)
        assert people[other_key].account_number not in _accounts(found), (user_key, query)
        assert all(c.office_id == people[user_key].office_id for c in found.consumers)
        assert people[other_key] not in consumer_search(principal=people[user_key], query=query)


@pytest.mark.django_db
def test_the_sdo_sees_the_sub_division_and_a_superuser_all(people):
    assert consumer_find(principal=people["sdo_a"], query="4321").count == 1
    admin = UserFactory(username="root", is_superuser=True, office=None)
    assert consumer_find(principal=admin, query="4321").count == 2


@pytest.mark.django_db
def test_a_search_is_three_queries_whatever_the_office_size(people):
    """The meter serial looked up first (its ids become one branch of the search), the page, the count."""
    for n in range(30):
        ConsumerFactory(office=people["dc_a"], name=f"Person {n}", village_town="Rampur")
    with CaptureQueriesContext(connection) as queries:
        consumer_find(principal=people["je_a"], query="Rammesh Rampur")
    assert len(queries) == 3
    assert "metering_meter" in queries[0]["sql"]
    assert all("metering_meter" not in q["sql"] for q in queries[1:])  # no subquery inside the OR


@pytest.mark.django_db
def test_the_stored_search_keys_follow_a_renamed_consumer_and_are_never_set(people, two_subdivisions):
    """The keys are the database's (generated columns): a renamed consumer is found by the new name at
    once, no history row is written for them, and nobody can set them."""
    from urja.customers import services

    consumer = ConsumerFactory(office=people["dc_a"], name="Kallu Ram", village_town="Bhitauli")
    assert consumer_find(principal=people["je_a"], query="Kallu").count == 1
    rows = services.consumer_update(
        consumer=consumer, by=two_subdivisions["sdo_a"], reason="spelt wrong", name="Kalloo Ram"
    )
    assert [row.field for row in rows] == ["name"]
    consumer.refresh_from_db()
    assert consumer.name_key == " kl rm"
    assert consumer_find(principal=people["je_a"], query="Kalloo").consumers == [consumer]
    with pytest.raises(ValueError):
        services.consumer_update(consumer=consumer, by=two_subdivisions["sdo_a"], reason="x", name_key=" x")
