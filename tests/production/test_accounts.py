"""Editorial accounts: throttled logins, strong passwords, short sessions, audit."""

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from portal.models import LoginEvent
from tests.factories import editor

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse 42"


def login(client, username, password, address="203.0.113.7"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_repeated_failures_for_a_username_throttle_it_from_that_address(
    client, settings
):
    user = editor()
    for _ in range(settings.LOGIN_FAILURES_PER_USERNAME_AND_ADDRESS):
        response = login(client, user.username, "wrong password")
        assert response.status_code == 200
        assert b"Too many attempts" not in response.content
    response = login(client, user.username, PASSWORD)
    assert response.status_code == 200
    assert b"Too many attempts, try again in 15 minutes." in response.content
    assert "_auth_user_id" not in client.session
    # A stranger guessing cannot lock the editor out: from another address
    # the right password works...
    assert login(Client(), user.username, PASSWORD, "198.51.100.1").status_code == 302
    # ...and another account is not affected either.
    other = editor()
    assert login(Client(), other.username, PASSWORD).status_code == 302
    assert LoginEvent.objects.filter(
        kind=LoginEvent.Kind.THROTTLED, username=user.username
    ).exists()


def test_guessing_spread_over_many_addresses_meets_the_slower_global_limit(
    settings,
):
    settings.LOGIN_FAILURES_PER_USERNAME = 6
    user = editor()
    # The editor signs in once from their desk.
    assert login(Client(), user.username, PASSWORD, "192.0.2.200").status_code == 302
    for n in range(6):  # one failure from each of six addresses
        login(Client(), user.username, "wrong password", f"198.51.100.{n}")
    # A new address is refused for this username, even with the password...
    assert (
        b"Too many attempts"
        in login(Client(), user.username, PASSWORD, "203.0.113.99").content
    )
    # ...while the address the editor uses still gets in.
    assert login(Client(), user.username, PASSWORD, "192.0.2.200").status_code == 302


def test_repeated_failures_from_an_address_throttle_it(client, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    for n in range(3):
        login(client, f"guess{n}", "wrong password", "192.0.2.9")
    user = editor()
    assert (
        b"Too many attempts"
        in login(client, user.username, PASSWORD, "192.0.2.9").content
    )
    assert login(Client(), user.username, PASSWORD, "192.0.2.10").status_code == 302


def test_backend_refuses_throttled_logins_on_any_login_path(rf, settings):
    user = editor()
    request = rf.post("/", REMOTE_ADDR="192.0.2.50")
    for _ in range(settings.LOGIN_FAILURES_PER_USERNAME_AND_ADDRESS):
        assert authenticate(request, username=user.username, password="nope") is None
    assert authenticate(request, username=user.username, password=PASSWORD) is None


def test_success_clears_the_username_count(client, settings):
    user = editor()
    for _ in range(settings.LOGIN_FAILURES_PER_USERNAME_AND_ADDRESS - 1):
        login(client, user.username, "wrong password")
    assert login(client, user.username, PASSWORD).status_code == 302
    client.logout()
    login(client, user.username, "wrong password")
    assert login(client, user.username, PASSWORD).status_code == 302


def test_logins_and_failures_are_audited(client):
    user = editor()
    login(client, user.username, "wrong password")
    login(client, user.username, PASSWORD)
    client.post("/admin/logout/")
    events = list(LoginEvent.objects.order_by("at", "pk"))
    assert [e.kind for e in events] == ["failure", "success", "logout"]
    assert events[0].username == user.username and events[0].user is None
    assert events[1].user == user
    assert events[1].ip_address == "203.0.113.7"


def test_audit_is_read_only_in_the_admin(admin_client):
    LoginEvent.objects.create(kind="failure", username="someone")
    assert admin_client.get("/admin/portal/loginevent/").status_code == 200
    assert admin_client.get("/admin/portal/loginevent/add/").status_code == 403
    event = LoginEvent.objects.get(username="someone")
    page = admin_client.get(f"/admin/portal/loginevent/{event.pk}/change/")
    assert page.status_code == 200
    assert b'name="username"' not in page.content
    delete = admin_client.get(f"/admin/portal/loginevent/{event.pk}/delete/")
    assert delete.status_code == 403


@pytest.mark.parametrize(
    "password",
    ["short pw 1", "123456789012345", "password1234", "editor-username"],
)
def test_weak_passwords_are_refused(password):
    user = editor(username="editor-username")
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_a_long_passphrase_is_accepted():
    validate_password("violet kettle marathon 7", editor())


def test_changing_the_password_logs_out_other_sessions(client):
    user = editor()
    client.force_login(user)
    assert client.get("/admin/").status_code == 200
    user.set_password("a brand new passphrase 9")
    user.save()
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_editorial_sessions_are_short_and_end_with_the_browser(settings, client):
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert login(client, editor().username, PASSWORD).status_code == 302
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["expires"] and not cookie["max-age"]
    assert cookie["httponly"]


@pytest.mark.parametrize("path", ["/editorial/login/", "/admin/login/?next=/admin/"])
def test_a_throttled_login_says_so_on_both_login_pages(client, settings, path):
    """After the limit, the right password is told the real reason, not "wrong"."""
    user = editor()
    for _ in range(settings.LOGIN_FAILURES_PER_USERNAME_AND_ADDRESS):
        client.post(path, {"username": user.username, "password": "wrong password"})
    response = client.post(path, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Too many attempts, try again in 15 minutes." in html
    assert "correct username and password" not in html
    assert "_auth_user_id" not in client.session
