"""Set-up every test folder needs: LibreOffice headless as a second engine (tests/support/libreoffice.py)
and a private cache folder for translated plans."""
from __future__ import annotations

import os

import pytest

from tests.support.libreoffice import find_soffice


def _soffice_missing() -> None:
    reason = "LibreOffice (soffice) is not installed: run scripts/install-libreoffice.sh"
    if os.environ.get("CI"):
        pytest.fail(reason + " (CI must install it before pytest)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def soffice() -> str:
    """The soffice command. Missing: a skip on a workstation, a failure in CI."""
    path = find_soffice()
    if path is None:
        _soffice_missing()
    return path


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Tests marked `libreoffice` skip (or fail in CI) when soffice is missing."""
    if item.get_closest_marker("libreoffice") is not None and find_soffice() is None:
        _soffice_missing()


@pytest.fixture(scope="session", autouse=True)
def private_plan_cache(tmp_path_factory):
    """The batch keeps translated plans in $XDG_CACHE_HOME/roi-xl: the tests' own, not the user's."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
