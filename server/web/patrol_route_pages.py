"""Publishing a route and adding or stopping a schedule from the patrol set-up page.

A route's form lists every checkpoint of the site; those given an order are
its stops in walking order, each with its walk and slack as the API takes
them. Saving an existing route publishes its next version (``publish_route``:
rounds already planned keep theirs). A schedule is asked in words (times of
day, weekdays, guards or a post) and saved by ``save_schedule``, which plans
its rounds ahead at once; stopping one is ``deactivate_schedule``.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from checklists.timezones import to_site_local
from server.extensions import get_store
from server.services.errors import Conflict
from server.services.patrol import checkpoints, routes, schedules
from server.services.patrol.guards import site_guards

from .forms import FormRefused, run_form
from .i18n import site_zone
from .list_filters import chosen_site
from .pages import SUPERVISING, page, page_blueprint
from .patrol_setup_forms import RouteForm, ScheduleForm

bp = page_blueprint("web_patrol_routes", __name__)


def _now() -> datetime:
    return datetime.now(UTC)


def _setup(site_id: str):
    return redirect(url_for("web_patrol_setup.setup", site=site_id))


def _site_checkpoints(site: dict) -> dict[str, dict]:
    """The site's checkpoints by id, to name the forms' rows."""
    return checkpoints.checkpoints_record(get_store(), site["id"])["checkpoints"]


def _route_page(site: dict, form: RouteForm, current: dict | None, status: int = 200):
    return render_template("web/patrol_route.html", site=site, form=form, current=current,
                           checkpoints=_site_checkpoints(site)), status


def _publish(actor, site: dict, current: dict | None):
    """Publish the posted form: a new route at ``site``, or ``current``'s next version."""
    store = get_store()
    form = RouteForm()  # the rows as posted: a stop the site lacks is the service's 422

    def publish():
        body = form.body()
        if current is None:
            return routes.publish_route(store, actor, body, site_id=site["id"],
                                        at=_now().isoformat())
        body.pop("id", None)
        return routes.publish_route(store, actor, body, route_id=current["route"]["id"],
                                    at=_now().isoformat())
    try:
        done = run_form(form, publish, conflict_field=form.route_id, field_for=form.field_for)
    except FormRefused as refused:
        return _route_page(site, form, current, refused.status)
    route = done["route"]
    flash(_("Route %(name)s published as version %(n)s.", name=route["name"], n=route["version"]))
    return _setup(site["id"])


@bp.get("/patrol/sites/<site_id>/routes/new")
@page(*SUPERVISING)
def new_route(actor, site_id):
    site, _sites = chosen_site(get_store(), actor, site_id)
    form = RouteForm()
    form.fill_rows(checkpoints.list_checkpoints(get_store(), actor, site["id"]), [])
    return _route_page(site, form, None)


@bp.post("/patrol/sites/<site_id>/routes/new")
@page(*SUPERVISING)
def publish_new_route(actor, site_id):
    site, _sites = chosen_site(get_store(), actor, site_id)
    return _publish(actor, site, None)


def _route_and_site(actor, route_id: str) -> tuple[dict, dict]:
    store = get_store()
    current = routes.get_route(store, actor, route_id)  # another site's: not found
    site, _sites = chosen_site(store, actor, current["site_id"])
    return current, site


@bp.get("/patrol/routes/<route_id>/edit")
@page(*SUPERVISING)
def edit_route(actor, route_id):
    current, site = _route_and_site(actor, route_id)
    route = current["route"]
    form = RouteForm(name=route["name"], order=route["order"])
    form.fill_rows(checkpoints.list_checkpoints(get_store(), actor, site["id"]), route["stops"])
    return _route_page(site, form, current)


@bp.post("/patrol/routes/<route_id>/edit")
@page(*SUPERVISING)
def publish_next_version(actor, route_id):
    current, site = _route_and_site(actor, route_id)
    return _publish(actor, site, current)


def _schedule_form(actor, site: dict, form: ScheduleForm | None = None) -> ScheduleForm:
    store = get_store()
    form = form or ScheduleForm(starts_on=to_site_local(_now(), site_zone(site["id"])).date())
    form.route_id.choices = [SelectChoice(r["id"], f'{r["name"]} ({r["id"]})') for r in (
        record["route"] for record in routes.list_routes(store, actor, site["id"]))]
    form.guards.choices = [SelectChoice(g["id"], g["username"])
                           for g in site_guards(store, actor, site["id"])]
    if not form.is_submitted():
        form.fill_windows(checkpoints.list_checkpoints(store, actor, site["id"]))
    return form


def _schedule_page(site: dict, form: ScheduleForm, status: int = 200):
    return render_template("web/patrol_schedule.html", site=site, form=form,
                           checkpoints=_site_checkpoints(site)), status


@bp.get("/patrol/sites/<site_id>/schedules/new")
@page(*SUPERVISING)
def new_schedule(actor, site_id):
    site, _sites = chosen_site(get_store(), actor, site_id)
    return _schedule_page(site, _schedule_form(actor, site))


@bp.post("/patrol/sites/<site_id>/schedules/new")
@page(*SUPERVISING)
def add_schedule(actor, site_id):
    site, _sites = chosen_site(get_store(), actor, site_id)
    form = _schedule_form(actor, site, ScheduleForm())
    config = current_app.config
    try:
        run_form(form, lambda: schedules.save_schedule(
            get_store(), actor, form.body(), site_id=site["id"], now=_now(),
            horizon=timedelta(days=config["PATROL_HORIZON_DAYS"]),
            default_timezone=config["DEFAULT_TIMEZONE"]), field_for=form.field_for)
    except FormRefused as refused:
        return _schedule_page(site, form, refused.status)
    flash(_("Schedule added; its rounds are planned."))
    return _setup(site["id"])


@bp.post("/patrol/schedules/<schedule_id>/stop")
@page(*SUPERVISING)
def stop_schedule(actor, schedule_id):
    """Future rounds without a result are cancelled; walked ones stay."""
    store = get_store()
    current = schedules.get_schedule(store, actor, schedule_id)  # another site's: not found
    if not current["active"]:
        raise Conflict(_("This schedule is already stopped."))
    stopped = schedules.deactivate_schedule(store, actor, schedule_id, now=_now())
    flash(_("Schedule stopped; its rounds still to come are cancelled."))
    return _setup(stopped["site_id"])
