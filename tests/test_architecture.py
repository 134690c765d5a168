"""Architecture rules: the domain core stays pure, and every module says what lives in it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "readiness"
FORBIDDEN_IN_DOMAIN = ("flask", "werkzeug", "wtforms", "jinja2", "sqlalchemy", "alembic")
FORBIDDEN_OURS = ("readiness.web", "readiness.services", "readiness.models", "readiness.db")


def _modules(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "translations" not in p.parts)


def _imported_names(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


@pytest.mark.parametrize("path", _modules(PACKAGE / "domain"), ids=lambda p: p.name)
def test_domain_imports_nothing_forbidden(path: Path) -> None:
    bad = [
        name
        for name in _imported_names(path)
        if name.split(".")[0] in FORBIDDEN_IN_DOMAIN
        or any(name == f or name.startswith(f + ".") for f in FORBIDDEN_OURS)
    ]
    assert not bad, f"{path.relative_to(PACKAGE.parent)} imports {bad}"


@pytest.mark.parametrize("path", _modules(PACKAGE), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_module_opens_with_a_docstring(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert ast.get_docstring(tree), f"{path.relative_to(PACKAGE.parent)} has no module docstring"


def test_models_do_not_import_flask() -> None:
    for path in _modules(PACKAGE / "models"):
        bad = [n for n in _imported_names(path) if n.split(".")[0] in ("flask", "werkzeug")]
        assert not bad, f"{path.name} imports {bad}"


def test_the_rule_catches_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text('"""x."""\nfrom sqlalchemy import select\nimport flask\n', encoding="utf-8")
    assert _imported_names(bad) == ["sqlalchemy", "flask"]
