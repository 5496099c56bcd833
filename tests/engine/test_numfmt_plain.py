"""numfmt's plain codes ("0", "0.00", "#,##0.0"...): format_number's short way (Decimal's own
format) gives what the token by token rendering (_render_number) gives for the same section, on
any finite double; Excel's own results for these codes are in tests/functions/text/test_text_format.py."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from roi_xl.engine import numfmt

PLAIN = ["0", "0.0", "0.00", "0.000", "#,##0", "#,##0.0", "#,##0.00", "0.0000000000"]
NUMBERS = st.one_of(st.floats(allow_nan=False, allow_infinity=False),
                    st.floats(-1e7, 1e7, allow_nan=False), st.integers(-10**9, 10**9).map(float),
                    st.integers(-10**6, 10**6).map(lambda n: n / 1000 + 0.0005))


@settings(max_examples=400, deadline=None)
@given(NUMBERS, st.sampled_from(PLAIN))
def test_plain_codes_render_as_the_token_by_token_way(value, code):
    assert numfmt._plain_code(code) is not None
    section = numfmt.parse(code)[0]
    assert numfmt.format_number(value, code) == numfmt._render_number(value, section, True)


def test_other_codes_take_the_token_by_token_way():
    for code in ("0.#", "#,##0.00;(#,##0.00)", "0%", "00", "#,##0,", "0.00E+00", "General", "0.0 "):
        assert numfmt._plain_code(code) is None
