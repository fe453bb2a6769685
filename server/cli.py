"""The ``fieldsync`` command: serve, demo, and account administration.

Every command builds the app lazily (``--help`` touches nothing) from the
same configuration as the server (``FIELDSYNC_*`` env vars, ``FIELDSYNC_CONFIG``
file, ``--data-dir``). Expected failures -- another process owns the data
dir, a taken username, an unknown site -- exit 1 with one clear line, never
a traceback. Tests run it on their app via ``app.test_cli_runner()``.
"""
from __future__ import annotations

import os
import sys

import click
from flask import Flask
from flask.cli import ScriptInfo

from server.accounts.access import ROLES
from server.config import ConfigError
from server.services.errors import NotFound, ServiceError
from server.store import StoreLocked
from server.cli_definitions import definitions as definitions_cli
from sync.client.cli import device as device_client

from .cli_db import db


class _Loader:
    """Creates the app once, on first use, turning start-up failures into CLI errors."""

    def __init__(self, overrides: dict):
        self.overrides = overrides
        self.app: Flask | None = None
        self.may_create_data_dir = False  # only ``init`` and ``demo`` set it

    def config(self) -> dict:
        """The settings alone, without opening the store (``fieldsync db``); the data dir
        must exist like for any command that opens it."""
        if self.app is not None:
            return self.app.config
        _require_data_dir(self.overrides)
        return _bare_config(self.overrides)

    def load_app(self) -> Flask:  # same name as flask.cli.ScriptInfo, which tests pass in
        if self.app is None:
            from server import create_app
            try:
                if not self.may_create_data_dir:
                    _require_data_dir(self.overrides)
                self.app = create_app(self.overrides)
            except (StoreLocked, ConfigError) as exc:
                raise click.ClickException(str(exc)) from None
        return self.app


def _bare_config(overrides: dict) -> dict:
    """The settings by the app's own precedence rules (file, env, options); nothing opened."""
    from server.config import load_config
    probe = Flask("fieldsync-config")
    try:
        load_config(probe, overrides)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    return probe.config


def _require_data_dir(overrides: dict) -> None:
    """Refuse a missing data dir: a typo in ``--data-dir`` must not start an empty store."""
    data_dir = _bare_config(overrides)["DATA_DIR"]
    if not os.path.isdir(data_dir):
        raise click.ClickException(f"no data directory {data_dir} (create one with "
                                   f"`fieldsync --data-dir {data_dir} init`)")


def _allow_new_data_dir() -> None:
    obj = click.get_current_context().obj
    if isinstance(obj, _Loader):
        obj.may_create_data_dir = True


class _Main(click.Group):
    """Reports service errors (taken username, unknown id...) as one-line CLI errors."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ServiceError as exc:
            raise click.ClickException(str(exc)) from None


@click.group(cls=_Main)
@click.option("--data-dir", type=click.Path(file_okay=False), default=None,
              help="Data directory (default: FIELDSYNC_DATA_DIR or ./fieldsync-data).")
@click.pass_context
def main(ctx: click.Context, data_dir: str | None) -> None:
    """fieldsync: offline-first field inspection server."""
    if not isinstance(ctx.obj, ScriptInfo):
        ctx.obj = _Loader({"DATA_DIR": data_dir} if data_dir else {})


def _app() -> Flask:
    return click.get_current_context().obj.load_app()


def _store():
    from server.extensions import STORE_KEY
    return _app().extensions[STORE_KEY]


def _all(list_page):
    """Every item of a paged listing."""
    cursor = None
    while True:
        page = list_page(cursor)
        yield from (rec.doc for rec in page.items)
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def _serve(app: Flask, host: str, port: int, threads: int) -> None:
    try:
        from server.wsgi_server import serve_app
    except ImportError:
        raise click.ClickException("waitress is not installed: pip install 'waitress>=3'") from None
    try:
        _store().claim_serving()
    except StoreLocked as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"fieldsync serving http://{host}:{port}/  (API docs: /api/docs, "
               f"data: {app.config['DATA_DIR']}; Ctrl+C stops)")
    serve_app(app, host, port, threads)


_host = click.option("--host", default=None, help="Bind address (default: config HOST).")
_port = click.option("--port", type=int, default=None, help="Port (default: config PORT).")


@main.command()
@_host
@_port
@click.option("--threads", type=int, default=None, help="Worker threads (default: THREADS).")
def serve(host, port, threads):
    """Serve the API and web pages (waitress, one process)."""
    app = _app()
    _serve(app, host or app.config["HOST"], port or app.config["PORT"],
           threads or app.config["THREADS"])


@main.command()
def init():
    """Create the data directory (and an empty store); other commands need it to exist."""
    _allow_new_data_dir()
    loader = click.get_current_context().obj
    if isinstance(loader, _Loader):  # first, so that no store has to create it
        data_dir = _bare_config(loader.overrides)["DATA_DIR"]
        try:
            os.makedirs(data_dir, exist_ok=True)
        except OSError as exc:
            raise click.ClickException(f"cannot create {data_dir}: {exc.strerror}") from None
    click.echo(f"data directory {_app().config['DATA_DIR']} is ready")


@main.command()
@_host
@_port
@click.option("--no-serve", is_flag=True, help="Only create the demo data.")
def demo(host, port, no_serve):
    """Create demo sites and users (printing their passwords) and serve on 127.0.0.1:8000."""
    from server.accounts.demo import seed_demo
    _allow_new_data_dir()
    app = _app()
    credentials = seed_demo(_store(), hash_method=app.config["PASSWORD_HASH_METHOD"])
    click.echo(f"Demo data in {app.config['DATA_DIR']}. Log in as:")
    for c in credentials:
        click.echo(f"  {c['username']:<12} {c['password']:<18} {c['role']:<11} "
                   f"sites: {', '.join(c['sites']) or 'all'}")
    click.echo("Built-in checklists:")
    _install_builtin_templates()
    if not no_serve:
        _serve(app, host or "127.0.0.1", port or 8000, app.config["THREADS"])


def _install_builtin_templates() -> None:
    """Publish the shipped templates (idempotent: a version already there is kept)."""
    from checklists import builtin_definitions
    from server.services import definitions
    store = _store()
    for body in builtin_definitions():
        added = definitions.install(store, body, by="fieldsync demo")
        state = "published" if added else "already there"
        click.echo(f"  {body['id'] + '@' + str(body['version']):<30} {body['title']['zh']}"
                   f"  ({state})")


@main.command()
@click.argument("definition", metavar="DEFINITION@VERSION")
@click.option("--dry-run", is_flag=True, help="Only report what would change.")
def rescore(definition, dry_run):
    """Recompute the scores of every result of DEFINITION@VERSION after a scoring fix."""
    from checklists import RULES_VERSION
    from server.services.rescoring import rescore_version
    def_id, _, version = definition.partition("@")
    if not version.isdigit():
        raise click.BadParameter("give the version too, e.g. cs-supervision@1",
                                 param_hint="DEFINITION@VERSION")
    changes = rescore_version(_store(), def_id, int(version), apply=not dry_run,
                              by="fieldsync rescore")
    for c in changes:
        click.echo(f"  {c['result_id']}: {c['old_total']}/{c['old_max']} {c['old_band'] or '-'}"
                   f" -> {c['new_total']}/{c['new_max']} {c['new_band'] or '-'}")
    verb = "would change" if dry_run else "changed"
    click.echo(f"{len(changes)} result(s) {verb} (rules {RULES_VERSION}).")


# -- sync maintenance ----------------------------------------------------------

@main.command("new-epoch")
def new_epoch():
    """Give the data a new epoch: run it right after restoring a data-dir backup.

    A restored copy hands out again seqs that devices already saw with other
    contents; with a new epoch every device refetches its buckets at its next
    sync (and re-sends the results the backup lost). Nothing is deleted.
    """
    epoch = _store().new_epoch()
    click.echo(f"new epoch {epoch}: every device refetches its data at its next sync")


@main.command()
@click.option("--retention-days", type=click.IntRange(min=1), default=90, show_default=True,
              help="Keep tombstones (and count devices active) this many days.")
@click.option("--dry-run", is_flag=True, help="Only report what would be purged.")
def gc(retention_days, dry_run):
    """Purge old tombstones that every active device has pulled (run daily).

    Each run records the current seq with the time, so a tombstone counts as
    old once a run at least --retention-days ago had seen it: the first
    runs purge nothing. Devices idle longer than that refetch at next sync.
    """
    from datetime import datetime, timezone

    from server.services.tombstones import collect_tombstones
    report = collect_tombstones(_store(), datetime.now(timezone.utc), retention_days,
                                dry_run=dry_run)
    verb = "would purge" if dry_run else "purged"
    click.echo(f"{verb} {report.purged} tombstone(s); horizon {report.previous_horizon} -> "
               f"{report.horizon}; {report.active_clients} active device(s), "
               f"{report.clients_to_reset} idle device(s) will refetch")


# -- users ---------------------------------------------------------------------

@main.group()
def user():
    """Add, list, edit, disable and enable users; reset passwords."""


def _user_named(username: str) -> dict:
    from server.accounts import users
    found = users.find_user(_store(), username)
    if found is None:
        raise NotFound(f"no user named {username!r}")
    return found


def _site_ids(codes) -> list[str]:
    from server.accounts import sites
    ids = []
    for code in codes:
        site = sites.find_site(_store(), code)
        if site is None:
            raise NotFound(f"no site with code {code!r} (see: fieldsync site list)")
        ids.append(site["id"])
    return ids


@user.command("add")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="Prompted for when not given.")
@click.option("--name", "display_name", default="", help="Display name (any language).")
@click.option("--site", "site_codes", multiple=True, help="Site code; repeat for several.")
def user_add(username, role, password, display_name, site_codes):
    """Create a user."""
    from server.accounts import users
    created = users.create_user(_store(), username=username, password=password, role=role,
                                display_name=display_name, site_ids=_site_ids(site_codes),
                                hash_method=_app().config["PASSWORD_HASH_METHOD"])
    click.echo(f"created {created['role']} {created['username']} (id {created['id']})")


@user.command("list")
def user_list():
    """List users by username."""
    from server.accounts import sites, users
    store = _store()
    codes = {s["id"]: s["code"] for s in _all(lambda c: sites.list_sites(store, cursor=c))}
    for u in _all(lambda c: users.list_users(store, cursor=c)):
        state = "DISABLED" if u["disabled"] else "active"
        site_list = ",".join(codes.get(s, s) for s in u["site_ids"]) or "-"
        click.echo(f"{u['username']:<20} {u['role']:<11} {state:<9} {site_list:<20} {u['id']}")


def _set_disabled(username: str, disabled: bool) -> None:
    from server.accounts import users
    changed = users.set_disabled(_store(), _user_named(username)["id"], disabled)
    click.echo(f"{changed['username']} is now {'disabled' if disabled else 'enabled'}")


@user.command("set-password")
@click.argument("username")
@click.option("--password", prompt="New password", hide_input=True, confirmation_prompt=True,
              help="Prompted for when not given.")
def user_set_password(username, password):
    """Reset a user's password: all their web sessions and device tokens end."""
    from server.accounts.passwords import reset_password
    changed = reset_password(_store(), _user_named(username)["id"], password,
                             hash_method=_app().config["PASSWORD_HASH_METHOD"])
    click.echo(f"password of {changed['username']} reset; their sessions and devices "
               f"must log in again")


@user.command("edit")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), default=None, help="New role.")
@click.option("--site", "site_codes", multiple=True,
              help="Site code; repeat for several. Replaces the user's sites.")
@click.option("--no-sites", is_flag=True, help="Remove the user from every site.")
@click.option("--name", "display_name", default=None, help="New display name.")
def user_edit(username, role, site_codes, no_sites, display_name):
    """Change a user's role, sites or display name (what is not given stays)."""
    from server.accounts import users
    if site_codes and no_sites:
        raise click.UsageError("give --site or --no-sites, not both")
    site_ids = [] if no_sites else (_site_ids(site_codes) if site_codes else None)
    changed = users.edit_user(_store(), _user_named(username)["id"], role=role,
                              site_ids=site_ids, display_name=display_name)
    click.echo(f"{changed['username']}: {changed['role']}, {len(changed['site_ids'])} site(s)")


@user.command("disable")
@click.argument("username")
def user_disable(username):
    """Disable a user: their sessions and devices stop working at once."""
    _set_disabled(username, True)


@user.command("enable")
@click.argument("username")
def user_enable(username):
    """Re-enable a disabled user."""
    _set_disabled(username, False)


# -- sites ---------------------------------------------------------------------

@main.group()
def site():
    """Add and list sites."""


@site.command("add")
@click.argument("code")
@click.argument("name")
@click.option("--timezone", default=None, metavar="TZ",
              help="IANA time zone, e.g. Asia/Shanghai (default: DEFAULT_TIMEZONE).")
def site_add(code, name, timezone):
    """Create a site with a short CODE and a NAME (any language)."""
    from server.accounts import sites
    created = sites.create_site(_store(), code=code, name=name,
                                timezone=timezone or _app().config["DEFAULT_TIMEZONE"])
    click.echo(f"created site {created['code']} (id {created['id']}, {created['timezone']})")


@site.command("set-timezone")
@click.argument("code")
@click.argument("timezone")
def site_set_timezone(code, timezone):
    """Show the times of site CODE in TIMEZONE (IANA name); stored times stay UTC."""
    from server.accounts import sites
    changed = sites.set_timezone(_store(), _site_ids([code])[0], timezone)
    click.echo(f"site {changed['code']} now shows times in {changed['timezone']}")


@site.command("list")
def site_list():
    """List sites by code."""
    from server.accounts import sites
    store = _store()
    default = _app().config["DEFAULT_TIMEZONE"]
    for s in _all(lambda c: sites.list_sites(store, cursor=c)):
        zone = sites.site_timezone(s, default)
        click.echo(f"{s['code']:<12} {s['name']:<30} {zone:<20} {s['id']}")


# -- devices -------------------------------------------------------------------
# ``devices`` manages the tokens this server issued; ``device`` (singular,
# below) is the field client that a handheld or laptop runs against a server.

@main.group()
def devices():
    """List and revoke device tokens issued by this server."""


@devices.command("list")
@click.option("--user", "username", default=None, help="Only this user's devices.")
def device_list(username):
    """List devices, newest first."""
    from server.accounts import devices, users
    store = _store()
    user_id = _user_named(username)["id"] if username else None
    names = {}
    for d in _all(lambda c: devices.list_devices(store, user_id=user_id, cursor=c)):
        if d["user_id"] not in names:
            names[d["user_id"]] = users.get_user(store, d["user_id"])["username"]
        state = f"revoked {d['revoked_at']}" if d["revoked_at"] else "active"
        click.echo(f"{d['id']}  {names[d['user_id']]:<16} {d['name']:<20} "
                   f"last seen {d['last_seen_at']}  {state}")


@devices.command("revoke")
@click.argument("device_id")
def device_revoke(device_id):
    """Revoke a device's token at once."""
    from server.accounts import devices
    revoked = devices.revoke_device(_store(), device_id)
    click.echo(f"device {revoked['id']} ({revoked['name']}) revoked at {revoked['revoked_at']}")


main.add_command(device_client, "device")
main.add_command(db)
main.add_command(definitions_cli, "definitions")


if __name__ == "__main__":
    sys.exit(main())
