"""The questionnaire catalogue: loading a directory, latest versions, named lookup errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from readiness.services.questionnaires import Catalogue
from readiness.services.questionnaires import UnknownQuestionnaire

MINI = Path(__file__).resolve().parent.parent / "domain" / "data" / "mini.yaml"


@pytest.fixture
def catalogue(tmp_path: Path) -> Catalogue:
    """A catalogue of mini versions 3 and 1 (written in that order) and one broken file."""
    for version in (3, 1):
        folder = tmp_path / "mini"
        folder.mkdir(exist_ok=True)
        text = MINI.read_text(encoding="utf-8").replace("version: 1", f"version: {version}", 1)
        (folder / f"{version}.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "other").mkdir()
    shutil.copy(MINI, tmp_path / "other" / "1.yaml")  # says id: mini
    return Catalogue.load(tmp_path)


def test_all_is_sorted_by_id_and_version(catalogue: Catalogue) -> None:
    assert [q.key for q in catalogue.all()] == ["mini@1", "mini@3"]
    assert [q.key for q in catalogue.latest()] == ["mini@3"]
    assert catalogue.versions("mini") == [1, 3]


def test_get_returns_the_latest_or_the_asked_version(catalogue: Catalogue) -> None:
    assert catalogue.get("mini").version == 3
    assert catalogue.get("mini", 1).version == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nope",), "unknown questionnaire: nope"),
        (("mini", 2), "unknown questionnaire: mini version 2"),
    ],
)
def test_get_raises_a_named_error(catalogue: Catalogue, args: tuple, message: str) -> None:
    with pytest.raises(UnknownQuestionnaire, match=f"^{message}$"):
        catalogue.get(*args)


def test_broken_files_become_problems(catalogue: Catalogue, tmp_path: Path) -> None:
    assert [(p.file, p.message) for p in catalogue.problems] == [
        (str(tmp_path / "other" / "1.yaml"), "id and version say the file must be mini/1.yaml")
    ]
