"""The layering in docs/architecture.md, checked statically with ast (nothing is imported).

- igfcoach/core may import the standard library, igfcoach.core, igfcoach.appinfo and
  igfcoach.resources_path only: never Qt, SQLAlchemy, Alembic, APScheduler or an upper layer.
- igfcoach/store must not import Qt, APScheduler or a layer above it.
- igfcoach/services must not import Qt, APScheduler, the reminders engine, the UI or the command line.

Every import statement counts, including ones inside functions and ``if TYPE_CHECKING`` blocks,
and string arguments of ``importlib.import_module(...)`` / ``__import__(...)``.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "igfcoach"

UPPER_LAYERS = ("services", "ui", "reminders", "cli")
QT_AND_SCHEDULER = ("PySide6", "shiboken6", "apscheduler")

FORBIDDEN: dict[str, tuple[str, ...]] = {
    "core": QT_AND_SCHEDULER + ("sqlalchemy", "alembic", "igfcoach.store")
    + tuple(f"igfcoach.{layer}" for layer in UPPER_LAYERS),
    "store": QT_AND_SCHEDULER + tuple(f"igfcoach.{layer}" for layer in UPPER_LAYERS),
    "services": QT_AND_SCHEDULER + ("igfcoach.ui", "igfcoach.reminders", "igfcoach.cli"),
}
#: First-party modules core may use besides itself.
CORE_ALLOWED_FIRST_PARTY = ("igfcoach.core", "igfcoach.appinfo", "igfcoach.resources_path")


def _module_of(path: Path, package_dir: Path) -> str:
    rel = path.relative_to(package_dir.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path, package_dir: Path = PACKAGE) -> list[tuple[int, str]]:
    """(line, absolute dotted name) of everything a file imports, relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    module = _module_of(path, package_dir)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            found.append((node.lineno, base))
            # `from igfcoach import store` imports the submodule igfcoach.store
            found.extend((node.lineno, f"{base}.{alias.name}") for alias in node.names if alias.name != "*")
        elif (
            isinstance(node, ast.Call)
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and (
                (isinstance(node.func, ast.Name) and node.func.id in ("__import__", "import_module"))
                or (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
            )
        ):
            found.append((node.lineno, node.args[0].value))
    return found


def _matches(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _files(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


def _violations(path: Path, forbidden: tuple[str, ...], package_dir: Path = PACKAGE) -> list[str]:
    return [
        f"{path.relative_to(package_dir.parent)}:{line} imports {name}"
        for line, name in imported_modules(path, package_dir)
        if any(_matches(name, bad) for bad in forbidden)
    ]


@pytest.mark.parametrize("path", _files("core"), ids=lambda p: p.name)
def test_core_imports_no_framework_or_upper_layer(path: Path) -> None:
    assert _violations(path, FORBIDDEN["core"]) == []


@pytest.mark.parametrize("path", _files("core"), ids=lambda p: p.name)
def test_core_imports_stdlib_and_allowed_first_party_only(path: Path) -> None:
    bad = []
    for line, name in imported_modules(path):
        top = name.partition(".")[0]
        if top == "igfcoach":
            if name != "igfcoach" and not any(_matches(name, ok) for ok in CORE_ALLOWED_FIRST_PARTY):
                bad.append(f"{line}: {name}")
        elif top and top not in sys.stdlib_module_names and top != "__future__":
            bad.append(f"{line}: {name} (not in the standard library)")
    assert bad == []


@pytest.mark.parametrize("path", _files("store") or [None], ids=lambda p: p.name if p else "none")
def test_store_imports_no_qt_or_upper_layer(path: Path | None) -> None:
    if path is None:
        pytest.skip("igfcoach/store has no modules yet")
    assert _violations(path, FORBIDDEN["store"]) == []


@pytest.mark.parametrize("path", _files("services"), ids=lambda p: str(p.relative_to(PACKAGE / "services")))
def test_services_import_no_qt_scheduler_or_upper_layer(path: Path) -> None:
    assert _violations(path, FORBIDDEN["services"]) == []


def test_core_has_modules_to_check() -> None:
    names = {p.name for p in _files("core")}
    assert {"habits.py", "catalog.py", "days.py", "schedule.py", "scores.py"} <= names


# --- the checker itself -----------------------------------------------------------------------------


def test_checker_finds_every_import_form(tmp_path: Path) -> None:
    core = tmp_path / "igfcoach" / "core"
    core.mkdir(parents=True)
    sample = core / "sample.py"
    sample.write_text(
        "import PySide6.QtCore\n"
        "from sqlalchemy import orm\n"
        "from igfcoach import store\n"
        "from .. import ui\n"
        "from ..services.x import y\n"
        "from . import habits\n"
        "def f():\n"
        "    import apscheduler\n"
        "    importlib.import_module('alembic')\n",
        encoding="utf-8",
    )
    names = {name for _, name in imported_modules(sample, tmp_path / "igfcoach")}
    problems = _violations(sample, FORBIDDEN["core"], tmp_path / "igfcoach")
    assert {"PySide6.QtCore", "sqlalchemy", "igfcoach.store", "igfcoach.ui", "igfcoach.services.x",
            "igfcoach.core.habits", "apscheduler", "alembic"} <= names
    bad_lines = {int(p.split(":")[1].split()[0]) for p in problems}
    assert bad_lines == {1, 2, 3, 4, 5, 8, 9}  # everything but `from . import habits`
