"""Admin pages for users: list, add, disable/enable, reset a password, assign sites."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from server.services.accounts import devices, users
from server.services.accounts.passwords import reset_password
from server.services.accounts.sites import list_sites
from server.extensions import get_store
from server.repositories.results import MAX_LIMIT

from .csv_export import csv_response
from .forms import (ActionForm, FormRefused, ResetPasswordForm, UserForm, UserSitesForm,
                    run_form)
from .pages import ADMINS, page, page_blueprint

bp = page_blueprint("web_admin_users", __name__, url_prefix="/admin/users")
CSV_COLUMNS = ("id", "username", "display_name", "role", "sites", "department", "disabled",
               "created_at")


def _sites() -> list[dict]:
    return [r.doc for r in list_sites(get_store(), limit=MAX_LIMIT).items]


def _site_choices() -> list[SelectChoice]:
    return [SelectChoice(s["id"], f"{s['code']} {s['name']}") for s in _sites()]


def _list_page(form: UserForm, status: int = 200):
    page_ = users.list_users(get_store(), cursor=request.args.get("cursor"), limit=50)
    codes = {s["id"]: s["code"] for s in _sites()}
    return render_template("web/admin_users.html", users=[r.doc for r in page_.items],
                           next_cursor=page_.next_cursor, form=form, codes=codes,
                           action_form=ActionForm()), status


def _user_form(**kwargs) -> UserForm:
    form = UserForm(**kwargs)
    form.site_ids.choices = _site_choices()
    return form


@bp.get("")
@page(*ADMINS)
def user_list(_actor):
    return _list_page(_user_form())


@bp.get("/export.csv")  # under the prefix: /admin/users/export.csv
@page(*ADMINS)
def users_csv(_actor):
    """Every user (no password hashes or sessions): who, role, sites, disabled."""
    store = get_store()
    codes = {s["id"]: s["code"] for s in _sites()}

    def rows():
        cursor = None
        while True:
            page_ = users.list_users(store, cursor=cursor, limit=MAX_LIMIT)
            for u in (r.doc for r in page_.items):
                yield (u["id"], u["username"], u["display_name"], u["role"],
                       " ".join(codes.get(s, s) for s in u["site_ids"]), u.get("department"),
                       u["disabled"], u.get("created_at"))
            cursor = page_.next_cursor
            if cursor is None:
                return

    return csv_response("users.csv", CSV_COLUMNS, rows())


@bp.post("")
@page(*ADMINS)
def add_user(_actor):
    form = _user_form()
    try:
        user = run_form(form, lambda: users.create_user(
            get_store(), username=form.username.data, password=form.password.data,
            role=form.role.data, display_name=form.display_name.data or "",
            site_ids=form.site_ids.data or [],
            hash_method=current_app.config["PASSWORD_HASH_METHOD"]),
            conflict_field=form.username)
    except FormRefused as refused:
        return _list_page(form, refused.status)
    flash(_("User %(name)s added.", name=user["username"]))
    return redirect(url_for("web_admin_users.user", user_id=user["id"]))


def _user_page(user_id: str, *, sites_form=None, password_form=None, status: int = 200):
    store = get_store()
    user = users.get_user(store, user_id)
    if sites_form is None:
        sites_form = UserSitesForm(site_ids=user["site_ids"])
    sites_form.site_ids.choices = _site_choices()
    return render_template(
        "web/admin_user.html", user=user, sites_form=sites_form,
        password_form=password_form or ResetPasswordForm(), action_form=ActionForm(),
        devices=[r.doc for r in devices.list_devices(store, user_id=user_id).items]), status


@bp.get("/<user_id>")
@page(*ADMINS)
def user(_actor, user_id):
    return _user_page(user_id)


@bp.post("/<user_id>/sites")
@page(*ADMINS)
def set_sites(_actor, user_id):
    form = UserSitesForm()
    form.site_ids.choices = _site_choices()
    try:
        run_form(form, lambda: users.set_sites(get_store(), user_id, form.site_ids.data or []))
    except FormRefused as refused:
        return _user_page(user_id, sites_form=form, status=refused.status)
    flash(_("Sites saved."))
    return redirect(url_for("web_admin_users.user", user_id=user_id))


@bp.post("/<user_id>/password")
@page(*ADMINS)
def set_password(_actor, user_id):
    form = ResetPasswordForm()
    try:
        run_form(form, lambda: reset_password(
            get_store(), user_id, form.password.data,
            hash_method=current_app.config["PASSWORD_HASH_METHOD"]))
    except FormRefused as refused:
        return _user_page(user_id, password_form=form, status=refused.status)
    flash(_("Password reset: the user's sessions and devices were logged out."))
    return redirect(url_for("web_admin_users.user", user_id=user_id))


@bp.post("/<user_id>/<any(disable, enable):change>")
@page(*ADMINS)
def set_disabled(_actor, user_id, change):
    users.set_disabled(get_store(), user_id, change == "disable")
    flash(_("User disabled.") if change == "disable" else _("User enabled."))
    return redirect(url_for("web_admin_users.user", user_id=user_id))
