"""Architecture rules: dependencies run one way, the domain is pure, modules have docstrings.

The layers, lowest first: domain → (config, languages) → models, db → i18n → services → web | cli.
A module may import only from its own layer or lower ones; web and cli never import each other.
"""

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


# For each part of the package, the parts of ours it must never import (names are prefixes).
LAYERS: dict[str, tuple[str, ...]] = {
    "config.py": ("readiness.",),
    "languages.py": ("readiness.",),
    "models": ("readiness.services", "readiness.web", "readiness.cli", "readiness.i18n"),
    "db.py": ("readiness.services", "readiness.web", "readiness.cli", "readiness.i18n"),
    "i18n.py": ("readiness.services", "readiness.web", "readiness.cli", "readiness.models"),
    "services": ("readiness.web", "readiness.cli", "readiness.app_setup"),
    "web": ("readiness.cli",),
    "cli": ("readiness.web",),
}


def _layer_cases() -> list[tuple[Path, tuple[str, ...]]]:
    cases = []
    for part, forbidden in LAYERS.items():
        target = PACKAGE / part
        paths = _modules(target) if target.is_dir() else [target]
        cases.extend((path, forbidden) for path in paths)
    return cases


def _all_imports(path: Path, root: Path = PACKAGE.parent) -> list[str]:
    """Every module `path` imports, also inside functions; relative imports made absolute."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = path.relative_to(root).with_suffix("").parts[:-1]
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = ".".join(package[: len(package) - node.level + 1])
                base = f"{parent}.{base}" if base else parent
            names.extend(f"{base}.{alias.name}" for alias in node.names)
    return names


def _forbidden_imports(
    path: Path, forbidden: tuple[str, ...], root: Path = PACKAGE.parent
) -> list[str]:
    return [
        name
        for name in _all_imports(path, root)
        if name.startswith("readiness.") and any(name.startswith(f) for f in forbidden)
    ]


@pytest.mark.parametrize(
    ("path", "forbidden"),
    _layer_cases(),
    ids=lambda value: str(value.relative_to(PACKAGE)) if isinstance(value, Path) else "",
)
def test_dependencies_run_one_way(path: Path, forbidden: tuple[str, ...]) -> None:
    bad = _forbidden_imports(path, forbidden)
    assert not bad, f"{path.relative_to(PACKAGE.parent)} imports {bad} (forbidden: {forbidden})"


def test_the_layer_rule_catches_a_service_importing_the_web(tmp_path: Path) -> None:
    services = tmp_path / "readiness" / "services"
    services.mkdir(parents=True)
    bad = services / "bad.py"
    bad.write_text(
        '"""x."""\nfrom readiness.web.forms import LoginForm\n\n\ndef f():\n'
        "    from ..web import access\n    from . import reports\n",
        encoding="utf-8",
    )
    found = _forbidden_imports(bad, LAYERS["services"], root=tmp_path)
    assert found == ["readiness.web.forms.LoginForm", "readiness.web.access"]


def test_models_do_not_import_flask() -> None:
    for path in _modules(PACKAGE / "models"):
        bad = [n for n in _imported_names(path) if n.split(".")[0] in ("flask", "werkzeug")]
        assert not bad, f"{path.name} imports {bad}"


def test_the_rule_catches_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text('"""x."""\nfrom sqlalchemy import select\nimport flask\n', encoding="utf-8")
    assert _imported_names(bad) == ["sqlalchemy", "flask"]
