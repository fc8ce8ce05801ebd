"""Module tests never exit the interpreter and never reach AWS."""

import pytest

from tests.unit.plugins.modules.utils import patch_exits


@pytest.fixture(autouse=True)
def no_exit(monkeypatch):
    patch_exits(monkeypatch)
