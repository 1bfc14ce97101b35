import pytest
from django.urls import reverse

from urja.customers.models import ConsumerChange
from urja.org.choices import Role
from urja.testing import TEST_PASSWORD, TransformerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def je(client, two_subdivisions):
    client.login(username="je_a", password=TEST_PASSWORD)
    return two_subdivisions["je_a"]


def form_data(consumer, **changes):
    data = {
        "address": consumer.address,
        "village_town": consumer.village_town,
        "mobile": consumer.mobile,
        "reason": "field visit",
    }
    data.update(changes)
    return data


def test_je_indexes_a_consumer_to_a_transformer(client, je, two_subdivisions):
    consumer = two_subdivisions["consumer_a"]
    dt = TransformerFactory(office=two_subdivisions["dc_a"])
    TransformerFactory(office=two_subdivisions["dc_b"])  # another sub-division's: not offered
    url = reverse("staff:consumer_edit", args=[consumer.account_number])
    page = client.get(url)
    assert page.status_code == 200 and dt.code in page.content.decode()
    response = client.post(url, form_data(consumer, dt=dt.pk, mobile="+91 91234 56780"))
    assert response.status_code == 302
    consumer.refresh_from_db()
    assert consumer.dt == dt and consumer.mobile == "9123456780"
    rows = {r.field: r for r in ConsumerChange.objects.filter(consumer=consumer)}
    assert rows["dt"].changed_by == je and rows["dt"].reason == "field visit"
    assert rows["mobile"].new_value == "XXXXXX6780"
    report = client.get(reverse("staff:unindexed_report"))
    assert consumer.account_number not in report.content.decode()


def test_je_sets_the_language_the_consumer_reads(client, je, two_subdivisions):
    consumer = two_subdivisions["consumer_a"]
    assert consumer.language == "hi"
    url = reverse("staff:consumer_edit", args=[consumer.account_number])
    assert 'name="language"' in client.get(url).content.decode()
    assert client.post(url, form_data(consumer, language="en")).status_code == 302
    consumer.refresh_from_db()
    assert consumer.language == "en"
    row = ConsumerChange.objects.get(consumer=consumer, field="language")
    assert (row.old_value, row.new_value, row.changed_by) == ("hi", "en", je)
    assert client.post(url, form_data(consumer, language="fr")).status_code == 400
    consumer.refresh_from_db()
    assert consumer.language == "en"


def test_bad_input_changes_nothing(client, je, two_subdivisions):
    consumer = two_subdivisions["consumer_a"]
    url = reverse("staff:consumer_edit", args=[consumer.account_number])
    other_dt = TransformerFactory(office=two_subdivisions["dc_b"])
    for bad in ({"mobile": "12345"}, {"pincode": "12"}, {"dt": other_dt.pk}, {"reason": ""}):
        response = client.post(url, form_data(consumer, **bad))
        assert response.status_code == 400
    assert not ConsumerChange.objects.filter(consumer=consumer).exists()


def test_other_office_and_read_only_roles(client, two_subdivisions):
    client.login(username="je_a", password=TEST_PASSWORD)
    other = two_subdivisions["consumer_b"]
    assert client.get(reverse("staff:consumer_edit", args=[other.account_number])).status_code == 404
    UserFactory(username="aud", role=Role.AUDITOR, office=two_subdivisions["division"])
    client.login(username="aud", password=TEST_PASSWORD)
    own = two_subdivisions["consumer_a"]
    assert client.get(reverse("staff:consumer_edit", args=[own.account_number])).status_code == 403


def test_unindexed_report_lists_consumers_to_index(client, je, two_subdivisions):
    page = client.get(reverse("staff:unindexed_report")).content.decode()
    assert two_subdivisions["consumer_a"].account_number in page
    assert two_subdivisions["consumer_b"].account_number not in page
    assert reverse("staff:consumer_edit", args=[two_subdivisions["consumer_a"].account_number]) in page
