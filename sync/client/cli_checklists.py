"""``fieldsync device show / answers-template / fill``: a checklist, from reading to filling.

``show`` prints what each item takes, ``answers-template`` writes an answers
file that validates as it is (to edit), and ``fill`` records an inspection;
its errors come back one per line under the item they are about.
"""
from __future__ import annotations

import json
import os
import re

import click

from sync.fields import ID_PATTERN

from .answer_problems import group_by_item
from .answers_template import answers_template as make_template
from .checklist_text import definition_lines, label_text
from .cli_common import current_client, definition_ref, read_json
from .errors import InvalidInput
from .fill import PhotoInput, load_pulled

_definition_argument = click.argument("definition", metavar="DEFINITION[@VERSION]")


@click.command()
@_definition_argument
def show(definition):
    """Print a pulled checklist: its items, what each takes, which are required."""
    parsed = load_pulled(current_client().definition(*definition_ref(definition)))
    click.echo("\n".join(definition_lines(parsed)))


@click.command("answers-template")
@_definition_argument
@click.option("--all", "include_optional", is_flag=True, help="Include the optional items.")
def answers_template(definition, include_optional):
    """Print an answers file for `fill` that validates as it is: every required item
    with the first allowed answer (pass, today...). Edit what you found, then fill."""
    client = current_client()
    user = client.session.user or {}
    template = make_template(load_pulled(client.definition(*definition_ref(definition))),
                             signer=user.get("display_name") or user.get("username") or "",
                             include_optional=include_optional)
    click.echo(json.dumps(template.answers, ensure_ascii=False, indent=2))
    for item_id, todo in template.todo:  # on stderr: `> answers.json` stays valid JSON
        click.echo(f"still to add: {item_id}: {todo}", err=True)


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
        loaded = read_json(markup, "--photo")
        annotations = {"shapes": loaded} if isinstance(loaded, list) else loaded
        spec = path
    return PhotoInput(spec, annotations, item)


def _check_result_id(ctx, param, value):
    if value is not None and not re.fullmatch(ID_PATTERN, value):
        raise click.BadParameter("use 1-100 of A-Z a-z 0-9 _ . : - (starting with a letter "
                                 "or digit), e.g. a UUID")
    return value


@click.command()
@_definition_argument
@click.option("--site", default=None,
              help="Site code or id where you inspected (a re-inspection: the original's).")
@click.option("--answers", "answers_file", required=True, type=click.Path(dir_okay=False),
              help="JSON object of answers keyed by item id.")
@click.option("--photo", "photos", multiple=True, metavar="[ITEM=]PATH[:MARKUP.json]",
              help="A photo (repeatable); ITEM= puts its hash into that item's "
                   "answer (a signature item's image).")
@click.option("--note", default=None, help="A note for the whole inspection.")
@click.option("--result-id", default=None, callback=_check_result_id,
              help="Your own id for this result (1-100 of A-Z a-z 0-9 _ . : -): running the "
                   "same fill again with it records nothing twice.")
@click.option("--reinspects", default=None, metavar="RESULT_ID",
              help="Re-check that result's items: answers hold only the re-checked items "
                   "(start from `reinspect RESULT_ID`).")
def fill(definition, site, answers_file, photos, note, result_id, reinspects):
    """Record an inspection offline (queued until `push`); start from `answers-template`."""
    def_id, version = definition_ref(definition)
    answers = read_json(answers_file, "--answers")
    if not isinstance(answers, dict):
        raise click.BadParameter("must hold a JSON object keyed by item id",
                                 param_hint="--answers")
    if site is None and reinspects is None:
        raise click.UsageError("Missing option '--site'.")
    client = current_client()
    try:
        receipt = client.fill(def_id, version, answers, [_photo(p) for p in photos],
                              site_id=site, note=note, result_id=result_id,
                              reinspects=reinspects)
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
            lines.append(f"  {group.item_id}  {label_text(group.label)}".rstrip())
        lines.extend(f"{indent}{field}: {text}" if field else f"{indent}{text}"
                     for field, text in group.errors)
    return "\n".join(lines)
