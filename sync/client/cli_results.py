"""``fieldsync device results / result / reinspect / review``: results pulled to the device.

``results`` lists them with their review state and, for an original, its
rectification; ``result ID`` shows one with the review log and the rounds of
re-inspection; ``reinspect ID`` prints the answers a re-inspection starts
from (the open items only) for ``fill --reinspects ID``; ``review`` queues a
supervisor's verdict for the next push.
"""
from __future__ import annotations

import json

import click

from checklists.workflow.review import STATES

from .cli_common import current_client
from .reviewing import pulled_result


def _score_text(score: dict | None) -> str:
    if not score:
        return "unscored"
    return f"{score.get('total')}/{score.get('max')}"


def _rectification_text(doc: dict) -> str:
    rect = doc.get("rectification")
    if not rect:
        return ""
    closed = "消项 closed out" if rect["closed_out"] else f"{len(rect['open_items'])} open"
    return (f"  after rectification {_score_text(rect['score_after'])} "
            f"({len(rect['rounds'])} round(s), {closed})")


@click.command("results")
def results():
    """List the results pulled to this device: score, review state, rectification."""
    docs = current_client().results()
    if not docs:
        click.echo("No results on this device: run `pull`.")
    for doc in docs:
        state = (doc.get("review") or {}).get("state", "submitted")
        of = doc.get("reinspection")
        kind = f"  re-inspects {of['of']} (round {of['round']})" if of else ""
        click.echo(f"{doc['id']}  {doc['checklist']['id']}@{doc['checklist']['version']}  "
                   f"{doc['submitted']['at']}  score {_score_text(doc.get('score'))}  "
                   f"[{state}]{kind}{_rectification_text(doc)}")


@click.command("result")
@click.argument("result_id")
def result(result_id):
    """Show a pulled result: its score, the review log, the re-inspection rounds."""
    doc = pulled_result(current_client().pulled, result_id)
    review = doc.get("review") or {}
    click.echo(f"Result {doc['id']}  {doc['checklist']['id']}@{doc['checklist']['version']}  "
               f"by {doc['submitted']['by']} at {doc['submitted']['at']}")
    click.echo(f"Score at inspection: {_score_text(doc.get('score'))}")
    click.echo(f"Review: {review.get('state', 'submitted')}")
    for entry in review.get("log", ()):
        why = f": {entry['reason']}" if entry.get("reason") else ""
        click.echo(f"  {entry['at']}  {entry.get('username') or entry['by']} ({entry['role']}, "
                   f"{entry['via']})  {entry['from']} → {entry['to']}{why}")
    rect = doc.get("rectification")
    if rect:
        click.echo(f"Score after rectification: {_score_text(rect['score_after'])}"
                   + ("  消项 closed out" if rect["closed_out"] else ""))
        for r in rect["rounds"]:
            click.echo(f"  round {r['round']}  {r['result_id']}  {r['at']}  by {r['by']}  "
                       f"{r['total']}/{r['max']}  {r['open_items']} open")
        for item in rect["open_items"]:
            click.echo(f"  open: {item['item_id']} ({item['reason']})")


@click.command("reinspect")
@click.argument("result_id")
def reinspect(result_id):
    """Print the answers to re-inspect RESULT_ID from: its open items, as they stand.
    Change what you find, then `fill CHECKLIST --reinspects RESULT_ID --answers FILE`."""
    template = current_client().reinspection_template(result_id)
    click.echo(json.dumps(template.answers, ensure_ascii=False, indent=2))
    for item_id, todo in template.todo:  # on stderr: `> answers.json` stays valid JSON
        click.echo(f"re-check: {item_id}: {todo}", err=True)


@click.command("review")
@click.argument("result_id")
@click.option("--to", "to_state", required=True, type=click.Choice(STATES[1:]),
              help="The verdict.")
@click.option("--from", "from_state", type=click.Choice(STATES), default=None,
              help="The state you reviewed from (default: as last pulled).")
@click.option("--reason", default=None, help="Why (required to reject).")
def review(result_id, to_state, from_state, reason):
    """Queue your review of a pulled result (supervisors); `push` sends it."""
    mutation_id = current_client().review(result_id, to_state, from_state=from_state,
                                          reason=reason)
    click.echo(f"Review of {result_id} → {to_state} queued (change #{mutation_id}).")
