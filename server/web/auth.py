"""Logging in and out, the front door, and the user's own account page."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from server.services.accounts import users
from server.services.accounts.login import log_in
from server.services.accounts.passwords import change_own_password
from server.auth import current_actor, current_session_id, end_session, start_session
from server.extensions import get_login_throttle, get_store
from server.services.errors import Throttled, Unauthenticated

from .forms import ActionForm, FormRefused, LanguageForm, LoginForm, PasswordForm, run_form
from .i18n import LANGUAGE_KEY, LANGUAGES
from .pages import page, page_blueprint, safe_next

bp = page_blueprint("web_auth", __name__)


def _home() -> str:
    return url_for("web_dashboard.dashboard")


def _logged_in() -> bool:
    try:
        current_actor()
    except Unauthenticated:
        return False
    return True


@bp.route("/", methods=["GET", "POST"])
def login():
    """The login page (``fieldsync demo`` prints this address)."""
    if request.method == "GET" and _logged_in():
        return redirect(_home())
    form = LoginForm()
    status, message = 200, None
    if form.validate_on_submit():
        try:
            user = log_in(get_store(), get_login_throttle(), username=form.username.data,
                          password=form.password.data, address=request.remote_addr or "",
                          hash_method=current_app.config["PASSWORD_HASH_METHOD"])
        except Throttled as exc:
            status, message = 429, _("Too many failed logins: wait %(seconds)s seconds.",
                                      seconds=exc.retry_after)
        except Unauthenticated:
            status, message = 401, _("Wrong username or password, or the account is disabled.")
        else:
            start_session(get_store(), user)
            if user.get("language") in LANGUAGES:
                session[LANGUAGE_KEY] = user["language"]
            return redirect(safe_next(request.args.get("next"), _home()))
    elif request.method == "POST":
        status = 400
    return render_template("web/login.html", form=form, message=message), status


@bp.route("/logout", methods=["POST"])
@page()
def logout(_actor):
    end_session(get_store())
    return redirect(url_for("web_auth.login"))


def _account_page(password_form: PasswordForm, status: int = 200):
    language_form = LanguageForm(language=session.get(LANGUAGE_KEY) or LANGUAGES[0])
    return render_template("web/account.html", password_form=password_form,
                           language_form=language_form, logout_form=ActionForm()), status


@bp.route("/account", methods=["GET"])
@page()
def account(_actor):
    """Change your own password and the language of the pages."""
    return _account_page(PasswordForm())


@bp.route("/account/password", methods=["POST"])
@page()
def change_password(actor):
    form = PasswordForm()
    try:
        run_form(form, lambda: change_own_password(
            get_store(), actor.user_id, form.old_password.data, form.new_password.data,
            throttle=get_login_throttle(), address=request.remote_addr or "",
            keep_session=current_session_id(),
            hash_method=current_app.config["PASSWORD_HASH_METHOD"]))
    except FormRefused as refused:
        return _account_page(form, refused.status)
    flash(_("Your password was changed; your other sessions ended."))
    return redirect(url_for("web_auth.account"))


@bp.route("/account/language", methods=["POST"])
@page()
def change_language(actor):
    form = LanguageForm()
    if not form.validate_on_submit():
        return _account_page(PasswordForm(), 400)
    users.set_language(get_store(), actor.user_id, form.language.data)
    session[LANGUAGE_KEY] = form.language.data
    return redirect(safe_next(request.form.get("next"), url_for("web_auth.account")))
