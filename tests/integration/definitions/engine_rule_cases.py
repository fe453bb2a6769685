"""Targeted JSON Logic rules for the evaluator cross-check, one group per rule ported.

Each is ``(rule, what the server answers)``: the cross-check runs them through
the server's evaluator and the field app's, requires both to give this value
(``None``: the rule fails at run time), and so documents what datalogic does
(see the docstring of ``checklists.expressions``).
"""
from __future__ import annotations

from typing import Any

DAY = "1d:0h:0m:0s"
SATURATED = "106751991167d:7h:12m:55s"  # ±i64::MAX milliseconds, in whole seconds

NUMBERS_AS_TEXT: list[tuple[Any, Any]] = [
    ({"cat": [{"/": [10, 2]}]}, "5"),           # whole arithmetic results are integers
    ({"cat": [{"*": [2.5, 2]}, "|", {"-": [2.5, 0.5, 1]}, "|", {"+": [1, "2", 3]}]}, "5|1|6"),
    ({"cat": [{"/": [10, 4]}, " ", {"+": [0.1, 0.2]}]}, "2.5 0.30000000000000004"),
    ({"cat": [1.5e-7, " ", 1e-7, " ", -2.5]}, "0.00000015 0.0000001 -2.5"),
    ({"cat": [1e20, " ", {"*": [-1e10, 1e10]}, " ", 1.2345678901234568e20]},
     "1e20 -1e20 1.2345678901234568e20"),          # whole floats beyond ±2^63
    ({"substr": [[1e-6, 1e-5, 123456.5, 0.000123, 1e20, 2], 0]},
     "[1e-6,0.00001,123456.5,0.000123,1e20,2]"),   # lists are JSON text
    ({"cat": [["x", [1, 2.5], None, True]]}, "x[1,2.5]true"),
    ({"substr": [["中文", "a\"b\\", "\u0001"], 0]}, '["中文","a\\"b\\\\","\\u0001"]'),
    ({"<": ["\uffff", "\U0001F600"]}, True),      # text orders by code point
]

DURATIONS: list[tuple[Any, Any]] = [
    ({"==": ["1d", "24h"]}, True),
    ({"===": ["1d", "1440m"]}, True),
    ({"!=": ["60s", "1m"]}, False),
    ({"in": ["1d", ["x", "24h"]]}, True),
    ({"==": ["1d:2h", "26h"]}, True),
    ({"==": ["2h1d", "1d:2h"]}, True),              # compact groups in any order
    ({"==": ["1d:-24h", "0s"]}, True),
    ({"<": ["1d", "25h"]}, True),
    ({"<": ["10d", "9d"]}, False),                  # as lengths, not as text
    ({"<=": ["1d", "24h", "1440m"]}, True),
    ({"==": ["1D", "1d"]}, False),                  # not a duration: text
    ({"==": ["1h1h", "2h"]}, False),                # a unit twice: not a duration
    ({"==": ["1d5", "1d"]}, False),                 # trailing digits: not a duration
    ({"==": ["0", "0d"]}, False),
    ({"<": ["1d", "abc"]}, True),                   # a duration and text compare as text
    ({"==": ["1d", 1]}, None),
    ({"+": ["1d", "2h"]}, "1d:2h:0m:0s"),
    ({"+": ["1d", "1h", "1m", "1s"]}, "1d:1h:1m:1s"),
    ({"-": ["1h", "1d"]}, "0d:-23h:0m:0s"),
    ({"-": ["-1d2h", "0s"]}, "0d:-22h:0m:0s"),       # the sign belongs to its group
    ({"-": ["1d:+2h", "0s"]}, "1d:2h:0m:0s"),
    ({"*": ["1d", 2]}, "2d:0h:0m:0s"),
    ({"*": [1.5, "1h"]}, "0d:1h:30m:0s"),
    ({"*": ["1d", -0.3]}, "0d:-7h:-12m:0s"),
    ({"*": ["1h", None]}, "0d:0h:0m:0s"),
    ({"*": ["1h", " 2 "]}, None),
    ({"*": ["1d", 2, 3]}, None),
    ({"/": ["1d", 7]}, "0d:3h:25m:42s"),             # truncated to whole seconds
    ({"/": ["1d", "2"]}, "0d:12h:0m:0s"),
    ({"/": ["1d", 0]}, None),
    ({"/": ["1d", 1e-300]}, SATURATED),
    ({"*": ["1d", 1e30]}, SATURATED),
    ({"-": ["9223372036854775807s", "0s"]}, SATURATED),
    ({"-": ["9223372036854775807d", "0s"]}, None),   # overflows while parsing
    ({"%": ["1d", 2]}, None),
    ({"+": ["1d"]}, None),
    ({"+": [1, "1d"]}, None),
]

DATETIMES: list[tuple[Any, Any]] = [
    ({"==": ["2026-01-01T00:00:00Z", "2026-01-01T08:00:00+08:00"]}, True),
    ({"==": ["2026-01-01T00:00:00", "2026-01-01T00:00:00Z"]}, True),   # naive is UTC
    ({"==": ["2026-1-1T1:2:3", "2026-01-01T01:02:03Z"]}, True),
    ({"==": ["2026-01-01t10:00:00z", "2026-01-01T10:00:00Z"]}, True),
    ({"==": ["2026-01-01", "2026-01-01T00:00:00Z"]}, False),         # a date alone is text
    ({"<": ["2026-01-01T09:00:00+08:00", "2026-01-01T02:00:00Z"]}, True),
    ({"<": ["2026-02-30T00:00:00Z", "2026-02-31T00:00:00Z"]}, True),  # written alike: text
    ({"<": ["2026-01-01T23:59:59.9999Z", "2026-01-01T23:59:60Z"]}, True),
    ({"in": ["2026-01-01T00:00:00Z", ["2026-01-01T08:00:00+08:00"]]}, True),
    ({"<": ["1s", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z"]}, True),
    ({"+": ["2026-01-01T00:00:00Z", "1d"]}, "2026-01-02T00:00:00Z"),
    ({"+": ["1h", "2026-01-01T00:00:00Z"]}, "2026-01-01T01:00:00Z"),
    ({"+": ["2026-01-01T00:00:00.5+08:00", "1d"]}, "2026-01-01T16:00:00Z"),
    ({"-": ["2026-01-02T00:00:00Z", "2026-01-01T00:00:00Z"]}, DAY),
    ({"-": ["2026-01-01T00:00:00Z", "2025-01-01T00:00:00Z", "1d"]}, "364d:0h:0m:0s"),
    ({"-": ["2026-01-01T00:00:00.7Z", "1s", "2026-01-01T00:00:00Z"]}, "0d:0h:0m:0s"),
    ({"-": ["2026-01-01T10:00:00+23:59", "1s"]}, "2025-12-31T10:00:59Z"),
    ({"-": ["2026-01-01T10:00:00\u221208:00", "1s"]}, "2026-01-01T17:59:59Z"),
    ({"-": ["26-01-01T10:00:00", "1s"]}, "0026-01-01T09:59:59Z"),
    ({"-": ["2026- 1-01T10:00:00", "1s"]}, "2026-01-01T09:59:59Z"),
    ({"+": ["9999-12-31T23:59:59Z", "1s"]}, "+10000-01-01T00:00:00Z"),
    ({"-": ["0000-01-01T00:00:00Z", "1s"]}, "-0001-12-31T23:59:59Z"),
    ({"+": ["2026-01-01T00:00:00Z", {"*": ["1d", 1e30]}]}, "+262142-12-31T23:59:59Z"),
    ({"-": ["2026-01-01T10:00:00+24:00", "1s"]}, None),
    ({"-": ["2026-01-01 10:00:00", "1s"]}, None),
    ({"+": ["2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z"]}, None),
    ({"-": ["1d", "2026-01-01T00:00:00Z"]}, None),
    ({"/": ["2026-01-01T00:00:00Z", 2]}, None),
]

TARGETED = NUMBERS_AS_TEXT + DURATIONS + DATETIMES
