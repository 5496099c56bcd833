"""The wheel built from this checkout, installed as users install it, serves the functions.

* A fresh virtualenv holding nothing but that wheel and xlwings (no engine dependencies): the
  module imports under both of its names, as the classic add-in imports it, and serves every
  function through xlwings' Office.js calls, as xlwings Server does.
* Pyodide under Node, what xlwings Lite runs (the `pyodide` npm package, no network: every
  fetch is refused): micropip installs the wheel, Lite's requirements.txt (lite/) is then
  satisfied offline, Lite's main.py (lite/) registers the functions, and xlwings' Office.js code
  computes every example of docs/excel.md and the Office.js cases of every catalogue function,
  compared with the catalogue called here.

scripts/install-pyodide.sh (run by scripts/test.sh) brings Node, Pyodide and the pure-Python
wheels of micropip, packaging and xlwings once per machine. Without them a workstation skips
these tests; CI (CI=true) fails instead.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import roi_xl

from tests.catalogue import office_js
from tests.catalogue.office_js import call_data, cases, documented_examples, expected, parse_result, same

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTED = documented_examples((ROOT / "docs" / "excel.md").read_text())
EXAMPLES = [example for example in DOCUMENTED if example[1] in roi_xl.CATALOGUE]


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(reason + " (CI must install it: scripts/install-pyodide.sh)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def pyodide_dir() -> Path:
    """Node, the pyodide npm package and the wheels Pyodide needs (scripts/install-pyodide.sh)."""
    run = subprocess.run(["bash", str(ROOT / "scripts" / "install-pyodide.sh")], cwd=ROOT,
                         capture_output=True, text=True, timeout=900)
    if run.returncode != 0:
        _unavailable("Pyodide could not be installed: " + run.stderr[-1500:])
    return Path(run.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """roi-xl's wheel, built from a copy of the checkout (a build in place would reuse build/)."""
    src = tmp_path_factory.mktemp("src")
    for name in ("roi_xl", "udfs"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    out = tmp_path_factory.mktemp("wheel")
    run = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
                          "--disable-pip-version-check", "-w", str(out), str(src)],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    (built,) = out.glob("roi_xl-*.whl")
    return built


def _xlwings_wheel(pyodide_dir: Path) -> Path:
    (found,) = (pyodide_dir / "wheels").glob("xlwings-*.whl")
    return found


# ---------------------------------------------------------------- a fresh virtualenv

_CLASSIC = r"""
import json, sys
import roi_xl, roi_xl.xlwings_udfs as face, roi_xl_udfs as old_name
assert all(getattr(old_name, n) is getattr(face, n) for n in face.__all__)
engine = [m for m in ("numpy", "pandas", "formulas", "openpyxl", "python_calamine")
          if __import__("importlib.util").util.find_spec(m)]
json.dump({"file": roi_xl.__file__, "names": face.__all__, "engine": engine,
           "roi": face.SOCIAL_ROI([[150]], [[100]]), "div0": old_name.SOCIAL_ROI(1, 0)},
          sys.stdout)
"""


def test_a_fresh_virtualenv_serves_the_functions(wheel, pyodide_dir, tmp_path):
    # The checkout stays off the path, or pip and Python would find roi_xl there.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "XLWINGS_ON_SERVER")}
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=env, timeout=300)
    python = str(venv / "bin" / "python")
    install = subprocess.run([python, "-m", "pip", "install", "--quiet", "--no-index", "--no-deps",
                              "--disable-pip-version-check", str(wheel),
                              str(_xlwings_wheel(pyodide_dir))],
                             env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stderr[-3000:]
    run = subprocess.run([python, "-c", _CLASSIC], cwd=tmp_path, env=env, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    classic = json.loads(run.stdout)
    assert classic["file"].startswith(str(venv))          # the installed wheel, not the checkout
    assert classic["names"] == sorted(roi_xl.CATALOGUE)
    assert classic["engine"] == []                       # nothing but xlwings beside roi-xl
    assert classic["roi"] == 0.5 and classic["div0"] == "#DIV/0!"  # plain functions off Windows

    served = office_js.serve([call_data(name, args) for _, name, args, _ in EXAMPLES],
                             python=python, cwd=tmp_path)
    assert served["roi_xl"].startswith(str(venv))
    assert sorted(f["id"] for f in served["meta"]["functions"]) == sorted(roi_xl.CATALOGUE)
    for (formula, _, _, result), got in zip(EXAMPLES, served["results"]):
        assert same(got.get("value"), parse_result(result)), f"{formula}: {got}"


# ---------------------------------------------------------------- Pyodide, as xlwings Lite


@pytest.fixture(scope="module")
def lite(wheel, pyodide_dir, tmp_path_factory):
    """One Node process: install, register, and run every call inside Pyodide."""
    node = shutil.which("node")
    if node is None:
        _unavailable("node is not installed: run scripts/install-pyodide.sh")
    every = cases()
    calls = [call_data(name, args) for _, name, args, _ in EXAMPLES]
    calls += [call_data(name, args) for name, args in every]
    job = {
        "pyodide_dir": str(pyodide_dir),
        "preinstall": [str(p) for p in sorted((pyodide_dir / "wheels").glob("*.whl"))],
        "roi_wheel": str(wheel),
        "main_py": (ROOT / "lite" / "main.py").read_text(),
        "requirements": (ROOT / "lite" / "requirements.txt").read_text(),
        "calls": calls,
    }
    job_file = tmp_path_factory.mktemp("lite") / "job.json"
    job_file.write_text(json.dumps(job))
    run = subprocess.run([node, str(Path(__file__).parent / "pyodide" / "run_lite.mjs"), str(job_file)],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    out = json.loads(run.stdout.strip().splitlines()[-1])
    out["examples"] = out["results"][:len(EXAMPLES)]
    out["cases"] = list(zip(every, out["results"][len(EXAMPLES):]))
    return out


def test_lite_installs_the_functions_alone_offline(lite):
    assert lite["platform"] == "emscripten"
    assert lite["fetches"] == []                              # nothing came from the network
    # micropip left the engine's dependencies out (the sys_platform marker in pyproject.toml).
    assert lite["installed"] == ["micropip", "packaging", "roi-xl", "xlwings"]
    assert not {"numpy", "pandas", "formulas", "openpyxl", "lxml"} & set(lite["modules"])


def test_lite_registers_every_function_with_its_help(lite):
    functions = {f["id"]: f for f in lite["meta"]["functions"]}
    assert sorted(functions) == sorted(roi_xl.CATALOGUE)
    for name, fn in roi_xl.CATALOGUE.items():
        assert functions[name]["description"] == fn.wizard_help
        assert [p["description"] for p in functions[name]["parameters"]] == \
            [a.help for a in fn.args]


def test_every_documented_example_in_lite(lite):
    assert len(EXAMPLES) >= len(roi_xl.CATALOGUE)
    for (formula, _, _, result), got in zip(EXAMPLES, lite["examples"]):
        assert same(got.get("value"), parse_result(result)), f"{formula}: {got} != {result}"


def test_every_function_has_a_documented_example():
    assert set(roi_xl.CATALOGUE) <= {name for _, name, _, _ in DOCUMENTED}


def test_every_call_in_lite_gives_what_the_catalogue_gives_here(lite):
    wrong = [f"{name}{args}: {got} != {expected(name, args)}"
             for (name, args), got in lite["cases"]
             if not same(got.get("value"), expected(name, args))]
    assert not wrong, "\n".join(wrong[:20])
