import subprocess
import sys

import roi_xl


def test_catalogue_has_the_contract_functions():
    assert sorted(roi_xl.CATALOGUE) == sorted([
        "SOCIAL_ROI", "SOCIAL_ROAS", "SOCIAL_RONI", "COST_TOTAL", "COST_ROLLUP", "KPI_ATTAINMENT",
        "KPI_STATUS", "KPI_SCORE", "ACTION_VALUE", "DEFLECTION_SAVINGS", "TRAFFIC_VALUE",
        "SEGMENT_UPLIFT", "PAYBACK_PERIODS", "COST_PER",
        "LAG_SPREAD", "PIPELINE_VALUE", "ATTRIBUTION_WEIGHTS", "ATTRIBUTED_VALUE", "SHARE_OF_VOICE",
        "NET_SENTIMENT", "REFERRAL_VALUE", "RETENTION_VALUE"])


def test_functions_command_lists_every_function():
    out = subprocess.run([sys.executable, "-m", "roi_xl.cli", "functions"],
                         capture_output=True, text=True, check=True).stdout
    for name in roi_xl.CATALOGUE:
        assert name + "(" in out


def test_function_reference_is_generated_from_the_registry():
    from pathlib import Path

    from roi_xl.cli import functions_markdown

    committed = (Path(__file__).resolve().parents[2] / "docs" / "functions.md").read_text()
    assert committed == functions_markdown(), "run: roi-xl functions --markdown > docs/functions.md"
    for f in roi_xl.functions():
        assert f"## {f.name}" in committed
        assert "Errors" in f.help or "error" in f.help.lower(), f.name


def test_output_piped_into_a_reader_that_stops_early_is_not_a_traceback():
    # `roi-xl functions --json | head -1`: the reader closes the pipe after a few bytes. The pipe
    # holds 4 KB (Linux's default 64 KB would take the whole ~24 KB output, and a command that
    # finished writing before the reader closed would not meet the closed pipe at all).
    import fcntl
    import os

    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 4096)
    run = subprocess.Popen([sys.executable, "-m", "roi_xl.cli", "functions", "--json"],
                           stdout=write_end, stderr=subprocess.PIPE, bufsize=0)
    os.close(write_end)
    with os.fdopen(read_end, "rb", buffering=0) as reader:
        assert reader.read(10)
    stderr = run.stderr.read().decode()
    assert run.wait(timeout=60) == 1
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr, stderr


def test_help_speaks_to_users():
    out = subprocess.run([sys.executable, "-m", "roi_xl.cli", "--help"], capture_output=True,
                         text=True, timeout=60).stdout
    assert "recalculate them without Excel" in out and "parses arguments" not in out
