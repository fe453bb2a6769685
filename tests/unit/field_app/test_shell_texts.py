"""The shell's texts name every code the server's records may carry to Today and every
change the Sync screen lists, in Chinese and English (a code without a text would show as
its key)."""
from __future__ import annotations

import json
import pathlib
import subprocess

from checklists.complaints.model import CATEGORIES
from sync.mutations import MUTATIONS

TEXTS = pathlib.Path(__file__).resolve().parents[3] / "server/field_app/static/js/i18n.js"


def translate(lang: str, keys: list[str]) -> list[str]:
    done = subprocess.run(
        ["node", "--input-type=module", "-e",
         f"import {{ translator }} from {json.dumps(TEXTS.as_uri())};"
         f"const t = translator({json.dumps(lang)});"
         f"process.stdout.write(JSON.stringify({json.dumps(keys)}.map((k) => t(k))));"],
        capture_output=True, text=True, timeout=60, check=True)
    return json.loads(done.stdout)


def test_every_complaint_category_has_a_name_in_both_languages():
    keys = [f"complaint.category.{code}" for code in CATEGORIES]
    for lang in ("zh", "en"):
        names = translate(lang, keys)
        assert [k for k, name in zip(keys, names) if name == k] == [], lang
    assert translate("zh", ["complaint.category.repair"]) == ["维修"]


def test_every_mutation_a_device_may_queue_has_a_name_in_both_languages():
    keys = [f"mutation.{name}" for name in MUTATIONS]
    for lang in ("zh", "en"):
        names = translate(lang, keys)
        assert [k for k, name in zip(keys, names) if name == k] == [], lang
