"""Excel's wildcards (`?` one character, `*` any run, `~` escaping ? * ~), matched without
backtracking (criteria.Wildcard), agree with a regex built from the same rule on every short
pattern and text; the hostile patterns themselves run in tests/robustness/test_hostile_inputs.py."""
from __future__ import annotations

import itertools
import random
import re

from roi_xl.engine.criteria import Wildcard


def _oracle(pattern: str, prefix: bool = False) -> re.Pattern:
    out, i = [], 0
    while i < len(pattern):
        if pattern[i] == "~" and pattern[i + 1:i + 2] in ("?", "*", "~"):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append({"?": ".", "*": ".*"}.get(pattern[i], re.escape(pattern[i])))
        i += 1
    return re.compile("".join(out) + (".*" if prefix else ""), re.IGNORECASE | re.DOTALL)


def test_every_short_pattern_matches_as_the_rule_says():
    texts = ["".join(t) for n in range(5) for t in itertools.product("aB*?~", repeat=n)]
    rng = random.Random(19)
    patterns = ["".join(rng.choice("Ab?*~") for _ in range(rng.randint(0, 6))) for _ in range(400)]
    for pattern in patterns:
        for prefix in (False, True):
            wild, oracle = Wildcard(pattern, prefix), _oracle(pattern, prefix)
            for text in texts:
                assert wild.fullmatch(text) == bool(oracle.fullmatch(text)), (pattern, prefix, text)
        wild, oracle = Wildcard(pattern), _oracle(pattern)
        for text in texts[::7]:
            for start in range(len(text) + 1):
                m = oracle.search(text, start)
                assert wild.search(text, start) == (m.start() if m else None), (pattern, text, start)


def test_letter_case_and_escapes():
    assert Wildcard("ROI*").fullmatch("roi 2025")
    assert Wildcard("~*x").fullmatch("*x") and not Wildcard("~*x").fullmatch("ax")
    assert Wildcard("a~~b").fullmatch("a~b")
    assert Wildcard("a~b").fullmatch("a~b")          # a ~ before anything else is itself
    assert Wildcard("*ß*").fullmatch("Straße")
