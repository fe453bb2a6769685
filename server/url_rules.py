"""URL rules whose URL builders are compiled when first used, not when the route is added.

Werkzeug compiles two URL-building functions per rule as the rule is added
(an AST put together and passed to ``compile``): a quarter of our own code's
share of the server's start, for ~340 routes of which a process builds URLs
for a few (``url_for`` in pages and ``Location`` headers). Matching requests
does not use them. ``LazyBuilderRule`` compiles each builder on its first
call with werkzeug's own code, so every URL is the one werkzeug builds
(``tests/unit/app/test_url_rules.py`` compares them for every route).
"""
from __future__ import annotations

from typing import Any, Callable

from werkzeug.routing import Rule


class LazyBuilderRule(Rule):
    """Werkzeug's ``Rule``; ``_build`` and ``_build_unknown`` compile on first use."""

    def _compile_builder(self, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        slot = "_build_unknown" if append_unknown else "_build"

        def compile_and_build(rule: Rule, **values: Any) -> tuple[str, str]:
            # Two threads may both compile: the same function, either one kept.
            built = Rule._compile_builder(rule, append_unknown).__get__(rule, None)
            setattr(rule, slot, built)
            return built(**values)
        return compile_and_build
