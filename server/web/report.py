"""One result as a report reads it: who, where, when, each item's answer and score line.

Shared by the result page and its PDF so both say the same thing. Built
from the result service (which refuses other sites' results as not found)
and the exact definition version the result was filled against.
"""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from checklists.actors import Actor
from server.services.accounts.sites import get_site
from server.services.accounts.users import users_by_ids
from server.services import results

from .i18n import label


def answer_text(item: dict, answer: Any) -> str:
    """What was answered, in words (option labels, not ids)."""
    if not isinstance(answer, dict) or not answer:
        return "–"
    if answer.get("na"):
        return _("not applicable")
    value = answer.get("value")
    if item["type"] == "check":
        return {"pass": _("pass"), "fail": _("fail")}.get(value, str(value))
    if item["type"] == "choice":
        names = {o["id"]: label(o.get("label")) for o in item.get("options", ())}
        chosen = value if isinstance(value, list) else [value]
        return "、".join(names.get(v, str(v)) for v in chosen if v is not None) or "–"
    if item["type"] == "signature" and isinstance(value, dict):
        return _("signed by %(name)s", name=value.get("signer") or "?")
    if item["type"] == "reading" and value is not None:
        return f"{value} {item.get('unit', '')}".strip()
    return "–" if value is None or value == "" else str(value)


def _row(item: dict, answer: Any, line: dict | None) -> dict:
    answer = answer if isinstance(answer, dict) else {}
    defects = [d for d in answer.get("defects") or () if isinstance(d, dict)]
    return {"id": item["id"], "label": label(item.get("label")), "type": item["type"],
            "answer": answer_text(item, answer), "value": answer.get("value"),
            "note": answer.get("note"), "defects": defects, "line": line,
            "explanation": label(line["explanation"]) if line else None,
            "photos": [p for p in answer.get("photos") or () if isinstance(p, str)]}


def answer_sections(definition: dict, answers: dict, score: dict | None) -> list[dict]:
    """The definition's sections with each item's answer in words and its score line."""
    lines: dict[tuple, dict] = {}
    for section in (score or {}).get("sections", ()):
        for line in section.get("lines", ()):
            instance = line.get("instance")
            index = instance.get("index") if isinstance(instance, dict) else instance
            lines[(line["item_id"], index)] = line
    scored = {s["section_id"]: s for s in (score or {}).get("sections", ())}
    out = []
    for section in definition["sections"]:
        parts = []
        if section.get("repeat"):
            instances = answers.get(section["id"])
            instances = instances if isinstance(instances, list) else []  # patrol visits are free-form
            for n, instance in enumerate(i for i in instances if isinstance(i, dict)):
                given = instance.get("answers") or {}
                parts.append({"label": instance.get("label") or f"#{n + 1}",
                              "rows": [_row(item, given.get(item["id"]),
                                            lines.get((item["id"], n)))
                                       for item in section["items"]]})
        else:
            parts.append({"label": None, "rows": [
                _row(item, answers.get(item["id"]), lines.get((item["id"], None)))
                for item in section["items"]]})
        out.append({"id": section["id"], "title": label(section.get("title")),
                    "score": scored.get(section["id"]), "parts": parts})
    return out


def result_report(store, actor: Actor, result_id: str) -> dict:
    """Everything a result page or PDF shows (``NotFound`` for another site's result)."""
    doc, definition = results.result_with_definition(store, actor, result_id)
    submitted = doc.get("submitted") or {}
    people = users_by_ids(store, [submitted["by"]] if submitted.get("by") else [])
    items = {item["id"]: label(item.get("label"))
             for section in definition["sections"] for item in section["items"]}
    photos = [{**p, "item_label": items.get(p.get("item"), "")}
              for p in doc.get("photos") or () if isinstance(p, dict) and p.get("sha256")]
    sections = answer_sections(definition, doc.get("answers") or {}, doc.get("score"))
    return {"result": doc, "definition": definition, "title": label(definition.get("title")),
            "site": get_site(store, doc["site_id"]),
            "inspector": people.get(submitted.get("by"), {}).get("username", "?"),
            "submitted": submitted, "score": doc.get("score"),
            "sections": sections, "photos": photos + _cited_only_in_answers(sections, photos)}


def _cited_only_in_answers(sections: list[dict], listed: list[dict]) -> list[dict]:
    """Photos an answer or defect cites that the result's photo list does not name."""
    seen, out = {p["sha256"] for p in listed}, []
    for section in sections:
        for part in section["parts"]:
            for row in part["rows"]:
                cited = [*row["photos"], *(h for d in row["defects"]
                                           for h in d.get("photos") or () if isinstance(h, str))]
                for sha256 in cited:
                    if sha256 not in seen:
                        seen.add(sha256)
                        out.append({"sha256": sha256, "item": row["id"],
                                    "item_label": row["label"]})
    return out
