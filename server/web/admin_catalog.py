"""Admin pages for sites (add, time zone), devices (revoke) and checklists (read)."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from server.services.accounts import devices, sites
from server.services.accounts.users import users_by_ids
from server.extensions import get_store
from server.repositories.results import MAX_LIMIT
from server.services import definitions
from server.services.errors import Invalid

from .forms import FormRefused, SiteForm, SiteZoneForm, run_form
from .pages import ADMINS, page, page_blueprint

bp = page_blueprint("web_admin", __name__, url_prefix="/admin")


def _sites_page(form: SiteForm, status: int = 200):
    page_ = sites.list_sites(get_store(), cursor=request.args.get("cursor"), limit=MAX_LIMIT)
    return render_template("web/admin_sites.html", sites=[r.doc for r in page_.items],
                           next_cursor=page_.next_cursor, form=form,
                           zone_form=SiteZoneForm()), status


@bp.get("/sites")
@page(*ADMINS)
def sites_(_actor):
    return _sites_page(SiteForm())


@bp.post("/sites")
@page(*ADMINS)
def add_site(_actor):
    form = SiteForm()
    try:
        site = run_form(form, lambda: sites.create_site(
            get_store(), code=form.code.data, name=form.name.data,
            timezone=form.timezone.data or current_app.config["DEFAULT_TIMEZONE"]),
            conflict_field=form.code)
    except FormRefused as refused:
        return _sites_page(form, refused.status)
    flash(_("Site %(code)s added.", code=site["code"]))
    return redirect(url_for("web_admin.sites_"))


@bp.post("/sites/<site_id>/timezone")
@page(*ADMINS)
def set_timezone(_actor, site_id):
    form = SiteZoneForm()
    if not form.validate_on_submit():
        raise Invalid(form.errors, "form")
    sites.set_timezone(get_store(), site_id, form.timezone.data)
    flash(_("Time zone saved."))
    return redirect(url_for("web_admin.sites_"))


@bp.get("/devices")
@page(*ADMINS)
def devices_(_actor):
    store = get_store()
    page_ = devices.list_devices(store, cursor=request.args.get("cursor"), limit=MAX_LIMIT)
    found = [r.doc for r in page_.items]
    return render_template("web/admin_devices.html", devices=found,
                           next_cursor=page_.next_cursor,
                           owners=users_by_ids(store, {d["user_id"] for d in found}))


@bp.post("/devices/<device_id>/revoke")
@page(*ADMINS)
def revoke_device(_actor, device_id):
    device = devices.revoke_device(get_store(), device_id)
    flash(_("Device %(name)s revoked.", name=device["name"]))
    return redirect(request.referrer if _same_site(request.referrer)
                    else url_for("web_admin.devices_"))


def _same_site(url: str | None) -> bool:
    return bool(url) and url.startswith(request.host_url)


@bp.get("/definitions")
@page(*ADMINS)
def definitions_(_actor):
    page_ = definitions.list_published(get_store(), cursor=request.args.get("cursor"),
                                       limit=MAX_LIMIT)
    return render_template("web/admin_definitions.html", records=[r.doc for r in page_.items],
                           next_cursor=page_.next_cursor)


@bp.get("/definitions/<def_id>/<int:version>")
@page(*ADMINS)
def definition(_actor, def_id, version):
    doc = definitions.get_version(get_store(), def_id, version)
    return render_template("web/admin_definition.html", record=doc, body=doc["definition"])
