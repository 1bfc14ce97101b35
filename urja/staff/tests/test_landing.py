"""Every role lands on its job after login, sees its first jobs one tap away, and the Admin link only
when the admin would let it in."""

import pytest
from django.urls import reverse

from urja.org.choices import Role
from urja.testing import TEST_PASSWORD, UserFactory


def _login(client, user, next_url=None):
    data = {"username": user.username, "password": TEST_PASSWORD}
    url = reverse("staff:login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, data)


@pytest.fixture
def office(two_subdivisions):
    return two_subdivisions


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role,where,landing",
    [
        (Role.CASHIER, "sub_a", "payments:counters"),
        (Role.SDO, "sub_a", "workflow:inbox"),
        (Role.EE, "division", "workflow:inbox"),
        (Role.JE, "dc_a", "workflow:inbox"),
        (Role.LINEMAN, "dc_a", "workflow:orders"),
        (Role.HELPDESK, "division", "staff:ticket_list"),
        (Role.METER_READER, "dc_a", "/field/"),  # the field app (issue 11)
        (Role.MANAGEMENT, "discom", "ucc:dashboard"),
        (Role.AUDITOR, "division", "payments:summary"),
    ],
)
def test_each_role_lands_on_its_job(client, office, role, where, landing):
    user = UserFactory(username=f"u_{role}", role=role, office=office[where])
    where_to = landing if landing.startswith("/") else reverse(landing)
    response = _login(client, user)
    assert response.status_code == 302
    assert response["Location"] == where_to
    # the console's front page (where a visit before login is sent) is not a wish to go there
    client.logout()
    assert _login(client, user, next_url=reverse("staff:home"))["Location"] == where_to


@pytest.mark.django_db
def test_a_page_asked_for_before_login_wins(client, office):
    user = UserFactory(username="cashier", role=Role.CASHIER, office=office["sub_a"])
    assert _login(client, user, next_url="/staff/tariffs/quote/")["Location"] == "/staff/tariffs/quote/"


@pytest.mark.django_db
def test_the_landing_job_is_first_and_marked_current(client, office):
    user = UserFactory(username="cashier", role=Role.CASHIER, office=office["sub_a"])
    client.force_login(user)
    html = client.get(reverse("payments:counters")).content.decode()
    bar = html.split('class="job-bar"')[1].split("</nav>")[0]
    first = bar.split("<li>")[1]
    assert 'data-testid="nav-counters"' in first and 'aria-current="page"' in first


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kwargs,shown",
    [
        ({"role": Role.CASHIER, "is_staff": False}, False),
        ({"role": Role.SDO, "is_staff": False}, False),
        ({"role": Role.SYSTEM_ADMIN, "is_staff": True}, True),
        ({"role": Role.SDO, "is_staff": True}, True),
        ({"role": Role.SYSTEM_ADMIN, "is_superuser": True, "is_staff": False}, False),
    ],
)
def test_admin_link_only_for_those_the_admin_lets_in(client, office, kwargs, shown):
    user = UserFactory(username="someone", office=office["sub_a"], **kwargs)
    client.force_login(user)
    html = client.get(reverse("staff:home")).content.decode()
    assert ('data-testid="nav-admin"' in html) is shown
    admin = client.get(reverse("admin:index"))
    assert (admin.status_code == 200) is shown


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in Role.values])
def test_every_link_is_shown_once_and_opens(client, office, role):
    user = UserFactory(username=f"u_{role}", role=role, office=office["division"])
    client.force_login(user)
    html = client.get(reverse("staff:home")).content.decode()
    nav = html.split('data-testid="jobs"')[1].split("</nav>")[0]
    links = [part.split('"')[0] for part in nav.split('href="')[1:]]
    assert len(links) == len(set(links))
    assert nav.split('class="job-bar"')[1].split('class="more"')[0].count("<li>") <= 4
    for link in links:
        if link.startswith("/admin"):
            continue
        assert client.get(link).status_code == 200, link
