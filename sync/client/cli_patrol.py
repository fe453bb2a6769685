"""``fieldsync device patrol list|start|scan|finish``: walk a patrol round from a shell.

Everything works offline: ``finish`` queues the round, ``fieldsync device
push`` (or ``sync``) sends it and its photos; the server judges it.
"""
from __future__ import annotations

import click

from .cli_common import current_client, read_json


@click.group()
def patrol():
    """Walk patrol rounds: list yours, start one, scan its tags, finish it."""


@patrol.command("list")
def list_():
    """The rounds you are to walk (pulled), by start time; the round in progress."""
    rounds = current_client().patrol
    mine = rounds.mine()
    click.echo("Your rounds:" if mine else "No rounds to walk: run `fieldsync device pull`.")
    for o in mine:
        click.echo(f"  {o['id']}  {o['local_start'].replace('T', ' ')} ({o['timezone']})  "
                   f"route {o['route_id']}@{o['route_version']}  due by {o['deadline']}")
    walking = rounds.current()
    if walking:
        click.echo(f"In progress: {walking['occurrence_id']} ({len(walking['scans'])} scan(s))")


@patrol.command()
@click.argument("occurrence_id")
def start(occurrence_id):
    """Start walking OCCURRENCE_ID (the device clock's time is the start)."""
    walk = current_client().patrol.start(occurrence_id)
    click.echo(f"Started {occurrence_id} at {walk['started_at']} (round {walk['id']}).")


@patrol.command()
@click.argument("tag")
@click.option("--method", type=click.Choice(["qr", "nfc", "gps", "manual"]), default="qr",
              show_default=True, help="How the tag was read (manual: typed, flagged).")
@click.option("--lat", type=float, help="GPS latitude of the fix.")
@click.option("--lon", type=float, help="GPS longitude of the fix.")
@click.option("--accuracy", type=float, help="The fix's accuracy in metres.")
@click.option("--answers", "answers_file", type=click.Path(dir_okay=False),
              help="JSON file of answers to the checkpoint's checklist.")
@click.option("--checklist-version", type=click.IntRange(min=1),
              help="The version of the checkpoint's checklist the answers are to "
                   "(default: the newest pulled).")
@click.option("--photo", type=click.Path(dir_okay=False), help="A photo taken here.")
def scan(tag, method, lat, lon, accuracy, answers_file, checklist_version, photo):
    """Record TAG scanned now (with its GPS fix, answers and a photo)."""
    fix = [lat, lon, accuracy]
    if any(v is not None for v in fix) and None in fix:
        raise click.UsageError("give --lat, --lon and --accuracy together")
    gps = None if lat is None else {"lat": lat, "lon": lon, "accuracy_m": accuracy}
    answers = read_json(answers_file, "--answers") if answers_file else None
    if checklist_version is not None and not answers:
        raise click.UsageError("--checklist-version goes with --answers")
    scanned = current_client().patrol.scan(tag, method=method, gps=gps, answers=answers,
                                           photo=photo, checklist_version=checklist_version)
    click.echo(f"Scanned {tag} ({method}) at {scanned['at']}.")


@patrol.command()
def finish():
    """Finish the round: it is queued for the next push."""
    round_id, mutation_id = current_client().patrol.finish()
    click.echo(f"Round {round_id} queued (change #{mutation_id}); `fieldsync device push` sends it.")
