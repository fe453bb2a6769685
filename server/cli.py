"""The ``fieldsync`` command: serve, demo, and account administration.

Every command builds the app lazily (``--help`` touches nothing) from the
same configuration as the server (``FIELDSYNC_*`` env vars, ``FIELDSYNC_CONFIG``
file, ``--data-dir``). Expected failures -- another process owns the data
dir, a taken username, an unknown site -- exit 1 with one clear line, never
a traceback. Tests run it on their app via ``app.test_cli_runner()``.
"""
from __future__ import annotations

import importlib
import os
import sys

import click
from flask import Flask
from flask.cli import ScriptInfo

from server.config import ConfigError
from server.services.errors import ServiceError
from server.store import StoreLocked

from .cli_accounts import devices, site, user
from .cli_liability import liability
from .cli_app import cli_app as _app
from .cli_app import cli_store as _store
from .cli_db import db
from .cli_definitions import definitions as definitions_cli
from .cli_plans import plans as plans_cli
from .cli_retention import retention as retention_cli


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
    """Reports service errors (taken username, unknown id...) as one-line CLI errors.

    ``device`` (the field client) is imported only when it is asked for: ``serve``
    never loads the device library (a server's cold start is paid at every restart).
    """

    LAZY = {"device": ("sync.client.cli", "device"), "patrol": ("server.cli_patrol", "patrol")}

    def list_commands(self, ctx):
        return sorted({*super().list_commands(ctx), *self.LAZY})

    def get_command(self, ctx, name):
        if name in self.LAZY:
            module, attr = self.LAZY[name]
            return getattr(importlib.import_module(module), attr)
        return super().get_command(ctx, name)

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
    from server.services.patrol.missed import start_patrol_job
    job = start_patrol_job(_store(), app.config)  # plans rounds ahead, marks missed ones
    try:
        serve_app(app, host, port, threads)
    finally:
        if job is not None:
            job.stop(timeout=10)


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
    from server.services.accounts.demo import seed_demo
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


main.add_command(user)
main.add_command(site)
main.add_command(devices)
main.add_command(db)
main.add_command(definitions_cli, "definitions")
main.add_command(liability)
main.add_command(plans_cli, "plans")
main.add_command(retention_cli, "retention")


if __name__ == "__main__":
    sys.exit(main())
