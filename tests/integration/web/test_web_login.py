"""The front door: login, logout, own password and language; who may open what."""
import pytest

from server.extensions import STORE_KEY
from tests.conftest import PASSWORD

from .conftest import Browser, csrf_from


def test_the_front_door_is_a_login_form_with_a_csrf_token(client):
    resp = client.get("/")
    assert resp.status_code == 200
    assert 'id="login"' in resp.text and csrf_from(resp.text)
    assert "登录" in resp.text  # Chinese unless the browser asks otherwise
    english = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert "Log in" in english.text and "登录" not in english.text


def test_logging_in_opens_the_dashboard(app, team, web):
    browser = web("supervisor-a")
    assert browser.client.get("/").headers["Location"].endswith("/dashboard")
    assert browser.get("/dashboard").status_code == 200


def test_a_login_without_the_forms_token_is_refused(app, team):
    browser = Browser(app.test_client())
    browser.get("/")
    resp = browser.post("/", {"username": "supervisor-a", "password": PASSWORD}, token=False)
    assert resp.status_code == 400 and "CSRF" in resp.text
    assert browser.client.get("/dashboard").status_code == 302  # still logged out


def test_a_wrong_password_says_so_on_the_page(app, team):
    browser = Browser(app.test_client())
    browser.get("/", headers={"Accept-Language": "en"})
    resp = browser.post("/", {"username": "supervisor-a", "password": "nope nope nope"},
                        headers={"Accept-Language": "en"})
    assert resp.status_code == 401 and "Wrong username or password" in resp.text


@pytest.mark.parametrize("target, lands", [("/results?band=good", "/results?band=good"),
                                           ("https://evil.example/x", "/dashboard"),
                                           ("//evil.example/x", "/dashboard")])
def test_after_login_the_page_asked_for_only_on_this_site(app, team, target, lands):
    browser = Browser(app.test_client())
    assert browser.client.get("/results?band=good").headers["Location"].startswith("/?next=")
    browser.get("/")
    resp = browser.post(f"/?next={target}", {"username": "supervisor-a",
                                             "password": PASSWORD})
    assert resp.headers["Location"] == lands


def test_logout_needs_the_token_and_ends_the_session(web, team):
    browser = web("supervisor-a")
    assert browser.post("/logout", token=False).status_code == 403
    assert browser.get("/dashboard").status_code == 200
    assert browser.post("/logout").headers["Location"] == "/"
    assert browser.client.get("/dashboard").status_code == 302


def test_changing_my_password(app, web, team):
    browser, other = web("supervisor-a", **{"Accept-Language": "en"}), web("supervisor-a")
    wrong = browser.post("/account/password", {"old_password": "not it at all",
                                               "new_password": "a new password"})
    assert wrong.status_code == 400 and "This is not your current password." in wrong.text
    short = browser.post("/account/password", {"old_password": PASSWORD, "new_password": "x"})
    assert short.status_code == 400 and "at least 8" in short.text
    done = browser.post("/account/password", {"old_password": PASSWORD,
                                              "new_password": "a new password"})
    assert done.status_code == 302
    assert browser.get("/dashboard").status_code == 200
    assert other.client.get("/dashboard").status_code == 302  # other sessions ended
    assert web("supervisor-a", password="a new password")


def test_my_language_is_kept_on_my_account(app, web, team):
    browser = web("supervisor-a")
    assert "总览" in browser.get("/dashboard").text
    assert browser.post("/account/language", {"language": "en"}).status_code == 302
    assert "Dashboard" in browser.get("/dashboard").text
    store = app.extensions[STORE_KEY]
    assert store.get("users", team.users["supervisor"]["id"]).doc["language"] == "en"
    again = web("supervisor-a", **{"Accept-Language": "zh-CN"})
    assert "Dashboard" in again.get("/dashboard").text  # the setting beats the browser
    assert browser.post("/account/language", {"language": "fr"}).status_code == 400


@pytest.mark.parametrize("role", ["guard", "engineer"])
def test_field_roles_may_not_open_supervisor_pages(web, team, seeded, role):
    browser = web(f"{role}-a")
    for url in ("/dashboard", "/results", "/results.csv", "/results/a-pass",
                "/results/a-pass.pdf", "/admin/users"):
        assert browser.get(url).status_code == 403, url
    assert browser.get("/account").status_code == 200


def test_only_admins_open_admin_pages(web, team):
    supervisor = web("supervisor-a")
    for url in ("/admin/users", "/admin/sites", "/admin/devices", "/admin/definitions",
                f"/admin/users/{team.users['guard']['id']}"):
        assert supervisor.get(url).status_code == 403, url
    assert supervisor.post(f"/admin/users/{team.users['guard']['id']}/disable"
                           ).status_code == 403


def test_a_post_without_a_session_goes_to_login_without_coming_back(client):
    resp = client.post("/logout")
    assert resp.status_code == 302 and resp.headers["Location"] == "/"
