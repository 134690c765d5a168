"""Shared fixtures of the domain tests: the mini questionnaire, raw and on disk."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

MINI = Path(__file__).resolve().parent / "data" / "mini.yaml"
_MINI_RAW = yaml.safe_load(MINI.read_text(encoding="utf-8"))


@pytest.fixture
def mini_path() -> Path:
    """The path of the small valid fixture questionnaire."""
    return MINI


@pytest.fixture
def mini_raw() -> dict[str, Any]:
    """A fresh, mutable copy of the parsed mini questionnaire."""
    return copy.deepcopy(_MINI_RAW)


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[[str, str | bytes], Path]:
    """A factory writing text or bytes to a file under tmp_path and returning its path."""

    def write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write
