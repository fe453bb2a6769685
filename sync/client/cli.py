"""``fieldsync device ...``: the device client from a shell (scripts, kiosks, laptops).

Every command works on one data dir (``--data-dir``, env
``FIELDSYNC_DEVICE_DIR``, default ``~/.fieldsync-device``). ``fill`` works
offline; ``push`` / ``sync`` / ``pull`` need the server. Expected failures
(not logged in, server unreachable, a bad answers file, an unknown checklist)
print one line and exit 1 -- never a traceback.

Tests (and embedders) pass a transport in ``obj={"transport": ...}``.
"""
from __future__ import annotations

import json
import os
import re
import socket

import click

from .answer_problems import group_by_item
from .device import DeviceClient
from .errors import DeviceError, InvalidInput
from .fill import PhotoInput
from sync.fields import ID_PATTERN

DEFAULT_DIR = "~/.fieldsync-device"


class _DeviceGroup(click.Group):
    """Turns ``DeviceError`` (and a bad server URL) into a one-line error, exit 1."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except DeviceError as exc:
            raise click.ClickException(str(exc)) from None


class _State:
    """The group's data dir and transport; opens the client (and its dir lock) on first use."""

    def __init__(self, ctx: click.Context, data_dir: str, transport):
        self.ctx, self.data_dir, self.transport = ctx, data_dir, transport
        self._client: DeviceClient | None = None

    @property
    def client(self) -> DeviceClient:
        if self._client is None:
            self._client = DeviceClient(self.data_dir, self.transport)
            self.ctx.call_on_close(self._client.close)
        return self._client


@click.group("device", cls=_DeviceGroup)
@click.option("--data-dir", envvar="FIELDSYNC_DEVICE_DIR", default=DEFAULT_DIR,
              show_default=True, type=click.Path(file_okay=False),
              help="Where this device keeps its data (env FIELDSYNC_DEVICE_DIR).")
@click.pass_context
def device(ctx: click.Context, data_dir: str) -> None:
    """Act as a field device: log in, pull checklists, fill offline, push."""
    transport = ctx.obj.get("transport") if isinstance(ctx.obj, dict) else None
    ctx.obj = _State(ctx, os.path.expanduser(data_dir), transport)


def _client() -> DeviceClient:
    return click.get_current_context().find_object(_State).client


@device.command()
@click.argument("url")
@click.option("--username", prompt=True, help="Your fieldsync username.")
@click.option("--password", prompt=True, hide_input=True, help="Your password.")
@click.option("--device-name", default=lambda: socket.gethostname() or "field device",
              show_default="host name", help="How this device is listed on the server.")
def login(url, username, password, device_name):
    """Register this device with the server at URL."""
    try:
        user = _client().login(username, password, device_name, server_url=url)
    except ValueError as exc:  # an unusable URL
        raise click.BadParameter(str(exc), param_hint="URL") from None
    click.echo(f"Logged in to {url} as {user['username']} ({user['role']}).")


@device.command()
def pull():
    """Fetch checklists, tickets and results of your sites."""
    pages = _client().pull()
    click.echo(f"Pulled {pages} page(s); {len(_client().pulled.definitions())} checklist "
               f"version(s) on this device.")


@device.command("list")
def list_():
    """Show the checklists, assignments and records pulled to this device."""
    client = _client()
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


def _definition_ref(text: str) -> tuple[str, int | None]:
    name, _, version = text.partition("@")
    if not version:
        return name, None
    if not version.isdigit():
        raise click.BadParameter(f"version must be a number, not {version!r}",
                                 param_hint="DEFINITION")
    return name, int(version)


def _read_json(path: str, what: str):
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except OSError as exc:
        raise click.BadParameter(f"cannot read {path}: {exc.strerror}", param_hint=what) \
            from None
    except ValueError as exc:
        raise click.BadParameter(f"{path} is not valid JSON: {exc}", param_hint=what) from None


def _photo(spec: str) -> PhotoInput:
    """``[ITEM=]PATH[:annotations.json]`` -> a PhotoInput."""
    item = None
    head, eq, rest = spec.partition("=")
    if eq and os.sep not in head:
        item, spec = head, rest
    annotations = None
    path, colon, markup = spec.rpartition(":")
    if colon and markup.endswith(".json"):
        # the markup file is {"shapes": [...]} (sync.annotations); a bare list of shapes is
        # accepted as a shorthand
        loaded = _read_json(markup, "--photo")
        annotations = {"shapes": loaded} if isinstance(loaded, list) else loaded
        spec = path
    return PhotoInput(spec, annotations, item)


def _check_result_id(ctx, param, value):
    if value is not None and not re.fullmatch(ID_PATTERN, value):
        raise click.BadParameter("use 1-100 of A-Z a-z 0-9 _ . : - (starting with a letter "
                                 "or digit), e.g. a UUID")
    return value


@device.command()
@click.argument("definition", metavar="DEFINITION[@VERSION]")
@click.option("--site", required=True, help="Site code or id where you inspected.")
@click.option("--answers", "answers_file", required=True, type=click.Path(dir_okay=False),
              help="JSON object of answers keyed by item id.")
@click.option("--photo", "photos", multiple=True, metavar="[ITEM=]PATH[:MARKUP.json]",
              help="A photo (repeatable); ITEM= cites it in that item's answer.")
@click.option("--note", default=None, help="A note for the whole inspection.")
@click.option("--result-id", default=None, callback=_check_result_id,
              help="Your own id for this result (1-100 of A-Z a-z 0-9 _ . : -): running the "
                   "same fill again with it records nothing twice.")
def fill(definition, site, answers_file, photos, note, result_id):
    """Record an inspection offline (queued until `push`)."""
    def_id, version = _definition_ref(definition)
    answers = _read_json(answers_file, "--answers")
    if not isinstance(answers, dict):
        raise click.BadParameter("must hold a JSON object keyed by item id",
                                 param_hint="--answers")
    client = _client()
    try:
        receipt = client.fill(def_id, version, answers, [_photo(p) for p in photos],
                              site_id=site, note=note, result_id=result_id)
    except InvalidInput as exc:
        definition = client.pulled.definition(def_id, version)
        if exc.errors is None or definition is None:
            raise
        raise click.ClickException(_problems_text(exc.message, definition, exc.errors)) \
            from None
    if receipt.already_recorded:
        change = f" (change #{receipt.mutation_id})" if receipt.mutation_id else ""
        click.echo(f"Result {receipt.result_id} was already recorded{change}; nothing new "
                   f"queued.")
        return
    preview = receipt.preview
    band = preview.get("band") or {}
    label = band.get("label") or {}
    band_text = f", {label.get('en') or label.get('zh') or band.get('id')}" if band else ""
    click.echo(f"Saved result {receipt.result_id} (change #{receipt.mutation_id}); preview "
               f"score {preview.get('total')}/{preview.get('max')} ({preview.get('percent')}%)"
               f"{band_text}; "
               f"{len(receipt.photos)} photo(s) queued.")


def _problems_text(message: str, definition: dict, errors) -> str:
    """One line per error, under the item (id and label) it is about."""
    groups = group_by_item(definition, errors)
    count = sum(len(g.errors) for g in groups)
    lines = [f"{message} ({count} error{'s' if count != 1 else ''}):"]
    for group in groups:
        indent = "    "
        if group.item_id is None:
            indent = "  "
        else:
            label = " / ".join(v for v in (group.label.get("zh"), group.label.get("en")) if v)
            lines.append(f"  {group.item_id}  {label}".rstrip())
        lines.extend(f"{indent}{field}: {text}" if field else f"{indent}{text}"
                     for field, text in group.errors)
    return "\n".join(lines)


def _upload_with_bar(client: DeviceClient):
    queued = client.photos.queued()
    total = sum(p["size"] for p in queued)
    if not queued:
        return client.upload_photos()
    seen: dict[str, int] = {p["sha256"]: p["sent"] for p in queued}
    with click.progressbar(length=total, label="Uploading photos",
                           show_pos=True) as bar:
        bar.update(sum(seen.values()))

        def progress(sha256, sent, size):
            delta = sent - seen.get(sha256, 0)
            seen[sha256] = sent
            if delta > 0:
                bar.update(delta)
        return client.upload_photos(progress)


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
    client = _client()
    pushed = client.push()
    uploaded = _upload_with_bar(client)
    client.outbox.note_sync()
    _report_push(client, pushed, uploaded)


@device.command("sync")
def sync_():
    """Push, upload photos, then pull: the full round."""
    client = _client()
    pushed = client.push()
    uploaded = _upload_with_bar(client)
    pages = client.pull()
    client.outbox.note_sync()
    _report_push(client, pushed, uploaded)
    click.echo(f"Pulled {pages} page(s).")


@device.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def status(as_json):
    """Unsent changes, photos waiting (bytes sent), last sync, rejected changes."""
    info = _client().status()
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


if __name__ == "__main__":  # python -m sync.client.cli ... (without the server installed)
    device(prog_name="fieldsync device")
