"""Every text the inspection screen and photo tools ask for exists in Chinese and English."""
from __future__ import annotations

import json
import pathlib
import re
import subprocess

STATIC = pathlib.Path(__file__).resolve().parents[3] / "server" / "field_app" / "static" / "js"
TEXTS = STATIC / "i18n" / "forms.js"
SOURCES = [*STATIC.glob("inspect/*.js"), *STATIC.glob("photos/*.js"), STATIC / "screens" / "inspect.js"]
KEY = re.compile(r"""['"`](forms\.[a-z_.]+[a-z_])['"`]""")
TOOL_KEY = re.compile(r"`forms\.annotate\.\$\{name\}`")


def dictionaries() -> dict:
    done = subprocess.run(
        ["node", "--input-type=module", "-e",
         f"import {{ zh, en }} from {json.dumps(TEXTS.as_uri())};"
         "process.stdout.write(JSON.stringify({ zh, en }));"],
        capture_output=True, text=True, timeout=60, check=True)
    return json.loads(done.stdout)


def used_keys() -> set[str]:
    keys: set[str] = set()
    for source in SOURCES:
        text = source.read_text(encoding="utf-8")
        keys |= set(KEY.findall(text))
        if TOOL_KEY.search(text):  # the editor's tool buttons: forms.annotate.<tool>
            tools = re.search(r"const TOOLS = \[([^\]]*)\]", text).group(1)
            keys |= {f"forms.annotate.{t}" for t in re.findall(r"'(\w+)'", tools)}
    return keys


def test_every_text_used_is_in_both_languages():
    texts = dictionaries()
    used = used_keys()
    assert len(used) > 60
    assert sorted(used - set(texts["zh"])) == []
    assert sorted(used - set(texts["en"])) == []
    assert set(texts["zh"]) == set(texts["en"])
