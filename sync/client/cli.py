"""``fieldsync device ...``: the device client from a shell (scripts, kiosks, laptops).

Every command works on one data dir (``--data-dir``, env
``FIELDSYNC_DEVICE_DIR``, default ``~/.fieldsync-device``). ``fill`` works
offline; ``push`` / ``sync`` / ``pull`` need the server. Expected failures
(not logged in, server unreachable, a bad answers file, an unknown checklist)
print one line -- invalid answers one line per error -- and exit 1, never a
traceback. ``show``, ``answers-template`` and ``fill`` live in
``cli_checklists``; ``tickets`` and ``ticket ...`` in ``cli_tickets``.

Tests (and embedders) pass a transport in ``obj={"transport": ...}``.
"""
from __future__ import annotations

import json
import os
import socket
import sys

import click

from . import cli_checklists, cli_patrol, cli_results, cli_tickets, cli_worklist
from .cli_common import CliState, current_client
from .device import DeviceClient
from .errors import DeviceError
from .progress import ProgressTracker
from .progress_line import ProgressLine

DEFAULT_DIR = "~/.fieldsync-device"


class _DeviceGroup(click.Group):
    """Turns ``DeviceError`` (and a bad server URL) into a one-line error, exit 1."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except DeviceError as exc:
            raise click.ClickException(str(exc)) from None


@click.group("device", cls=_DeviceGroup)
@click.option("--data-dir", envvar="FIELDSYNC_DEVICE_DIR", default=DEFAULT_DIR,
              show_default=True, type=click.Path(file_okay=False),
              help="Where this device keeps its data (env FIELDSYNC_DEVICE_DIR).")
@click.pass_context
def device(ctx: click.Context, data_dir: str) -> None:
    """Act as a field device: log in, pull checklists, fill offline, push."""
    transport = ctx.obj.get("transport") if isinstance(ctx.obj, dict) else None
    ctx.obj = CliState(ctx, os.path.expanduser(data_dir), transport)


@device.command()
@click.argument("url")
@click.option("--username", prompt=True, help="Your fieldsync username.")
@click.option("--password", prompt=True, hide_input=True, help="Your password.")
@click.option("--device-name", default=lambda: socket.gethostname() or "field device",
              show_default="host name", help="How this device is listed on the server.")
def login(url, username, password, device_name):
    """Register this device with the server at URL."""
    try:
        user = current_client().login(username, password, device_name, server_url=url)
    except ValueError as exc:  # an unusable URL
        raise click.BadParameter(str(exc), param_hint="URL") from None
    click.echo(f"Logged in to {url} as {user['username']} ({user['role']}).")


@device.command()
def pull():
    """Fetch checklists, tickets and results of your sites."""
    pages = current_client().pull()
    click.echo(f"Pulled {pages} page(s); {len(current_client().pulled.definitions())} checklist "
               f"version(s) on this device.")


@device.command("list")
def list_():
    """Show the checklists, assignments and records pulled to this device."""
    client = current_client()
    definitions = client.pulled.definitions()
    click.echo("Checklists:" if definitions else "No checklists yet: run `pull`.")
    for doc in definitions:
        d = doc["definition"]
        title = d.get("title", {})
        click.echo(f"  {d['id']}@{d['version']}  {title.get('en') or title.get('zh') or ''}"
                   f"  [{doc.get('status', 'published')}]")
    assignments = client.pulled.records("assignments")
    if assignments:
        click.echo("Assignments:")
        for rec in assignments:
            data = rec["data"] or {}
            click.echo(f"  {rec['id']}  {json.dumps(data, ensure_ascii=False)[:100]}")
    counts = {}
    for rec in client.pulled.records():
        if rec["type"] not in ("definitions", "assignments"):
            counts[rec["type"]] = counts.get(rec["type"], 0) + 1
    for kind, n in sorted(counts.items()):
        click.echo(f"{kind}: {n}")
    sites = client.session.sites
    if sites:
        click.echo("Your sites: " + ", ".join(f"{s['code']} ({s['name']})" for s in sites))


def _send(client: DeviceClient):
    """Push, then upload photos, with a progress line on a terminal."""
    with ProgressLine(sys.stderr) as line:
        tracker = ProgressTracker(line)
        return client.push(tracker), client.upload_photos(on_progress=tracker)


def _report_push(client: DeviceClient, pushed, uploaded) -> None:
    click.echo(f"Pushed: {pushed.applied} applied, {pushed.duplicate} already there, "
               f"{len(pushed.rejected)} rejected.")
    if uploaded.completed or uploaded.failed:
        click.echo(f"Photos: {len(uploaded.completed)} complete, {len(uploaded.failed)} failed.")
    for sha256, reason in uploaded.failed.items():
        click.echo(f"  photo {sha256[:12]}… failed: {reason}", err=True)
    for rejected in pushed.rejected:
        error = rejected.get("error") or {}
        click.echo(f"  change #{rejected['id']} rejected: {error.get('code')}: "
                   f"{error.get('message')}", err=True)


@device.command()
def push():
    """Send queued inspections, then upload their photos (resumable)."""
    client = current_client()
    pushed, uploaded = _send(client)
    client.outbox.note_sync()
    _report_push(client, pushed, uploaded)


@device.command("sync")
def sync_():
    """Push, upload photos, then pull: the full round."""
    client = current_client()
    pushed, uploaded = _send(client)
    pages = client.pull()
    client.outbox.note_sync()
    _report_push(client, pushed, uploaded)
    click.echo(f"Pulled {pages} page(s).")


@device.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def status(as_json):
    """Unsent changes, photos waiting (bytes sent), last sync, rejected changes."""
    info = current_client().status()
    if as_json:
        click.echo(json.dumps(info, ensure_ascii=False, indent=2))
        return
    click.echo(f"Server: {info['server'] or '-'}   user: {info['user'] or '-'}")
    click.echo(f"Unsent changes: {info['outbox']}")
    for m in info["pending"]:
        click.echo(f"  #{m['id']} {m['name']} {m['record'] or ''}")
    click.echo(f"Photos waiting: {len(info['photos'])} "
               f"({info['photo_bytes_left']} bytes left)")
    for p in info["photos"]:
        extra = f"  FAILED: {p['error']}" if p["state"] == "failed" else ""
        click.echo(f"  {p['sha256'][:12]}…  {p['sent']}/{p['size']} bytes{extra}")
    click.echo(f"Last sync: {info['last_sync_at'] or 'never'}")
    click.echo(f"Rejected by the server: {len(info['rejected'])}")
    for r in info["rejected"]:
        error = r.get("error") or {}
        click.echo(f"  #{r['id']} {r['name']}: {error.get('code')}: {error.get('message')}")


for _command in (cli_checklists.show, cli_checklists.answers_template, cli_checklists.fill,
                 cli_results.results, cli_results.result, cli_results.reinspect,
                 cli_results.review, cli_tickets.tickets, cli_tickets.ticket, cli_patrol.patrol):
    device.add_command(_command)
device.add_command(cli_worklist.today)


if __name__ == "__main__":  # python -m sync.client.cli ... (without the server installed)
    device(prog_name="fieldsync device")
