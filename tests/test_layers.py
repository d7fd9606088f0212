"""The plugin's three layers stay apart: `core/` (what a manual is) and `render/` (how it becomes HTML)
work without MkDocs, `core` imports nothing from `render` or the adapter, `render` nothing from the
adapter, and the command-line tools use `core` and `render` only."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from .conftest import REPO_ROOT

PACKAGE = REPO_ROOT / "plugins" / "mkdocs_procedures"
TOOLS = REPO_ROOT / "tools" / "procedures_tools"
ADAPTER = ("mkdocs_procedures.plugin", "mkdocs_procedures.config", "mkdocs_procedures.machinery")


def _modules(folder: Path, package: str) -> list[str]:
    return sorted(f"{package}.{path.stem}" if path.stem != "__init__" else package
                  for path in folder.glob("*.py"))


def _imported(path: Path, module: str) -> set[str]:
    """Every module a source file imports, anywhere in it, relative imports made absolute."""
    package = module.rsplit(".", 1)[0] if path.name != "__init__.py" else module
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _violations(folder: Path, package: str, forbidden: tuple[str, ...]) -> list[str]:
    """`<module> imports <name>` for every import of a folder's modules that is, or is inside, a forbidden one."""
    found = []
    for path in sorted(folder.glob("*.py")):
        module = package if path.stem == "__init__" else f"{package}.{path.stem}"
        found += [f"{module} imports {name}" for name in sorted(_imported(path, module))
                  if any(name == prefix or name.startswith(prefix + ".") for prefix in forbidden)]
    return found


def test_the_layers_are_where_the_readme_says() -> None:
    assert (PACKAGE / "core").is_dir() and (PACKAGE / "render" / "templates").is_dir()
    assert len(_modules(PACKAGE / "core", "mkdocs_procedures.core")) > 10
    assert len(_modules(PACKAGE / "render", "mkdocs_procedures.render")) > 5


def test_core_imports_nothing_from_render_or_the_adapter() -> None:
    forbidden = ("mkdocs_procedures.render", *ADAPTER, "mkdocs", "material")
    assert _violations(PACKAGE / "core", "mkdocs_procedures.core", forbidden) == []


def test_render_imports_nothing_from_the_adapter() -> None:
    forbidden = (*ADAPTER, "mkdocs", "material")
    assert _violations(PACKAGE / "render", "mkdocs_procedures.render", forbidden) == []


def test_the_tools_use_core_and_render_only() -> None:
    assert _violations(TOOLS, "procedures_tools", ADAPTER) == []


def test_the_import_check_sees_a_forbidden_import(tmp_path: Path) -> None:
    folder = tmp_path / "core"
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    (folder / "leaky.py").write_text("def late():\n    from ..render.markup import PageMarkup\n    return PageMarkup\n")
    (folder / "pure.py").write_text("from .leaky import late\n")
    assert _violations(folder, "mkdocs_procedures.core", ("mkdocs_procedures.render",)) == [
        "mkdocs_procedures.core.leaky imports mkdocs_procedures.render.markup",
        "mkdocs_procedures.core.leaky imports mkdocs_procedures.render.markup.PageMarkup",
    ]


REFUSING_IMPORTER = textwrap.dedent("""
    import importlib, json, sys

    class RefuseMkDocs:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("mkdocs", "material"):
                raise ModuleNotFoundError(f"No module named {name!r} (refused by the layer test)")
            return None

    sys.meta_path.insert(0, RefuseMkDocs())
    failed = {}
    for module in json.loads(sys.argv[1]):
        try:
            importlib.import_module(module)
        except Exception as error:
            failed[module] = f"{type(error).__name__}: {error}"
    print(json.dumps({"failed": failed, "loaded": sorted(m for m in sys.modules if m.startswith(("mkdocs", "material")))}))
""")


def _import_without_mkdocs(modules: list[str]) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", REFUSING_IMPORTER, json.dumps(modules)], capture_output=True,
                          text=True, check=True, cwd=REPO_ROOT)
    return json.loads(done.stdout)  # type: ignore[no-any-return]


@pytest.mark.parametrize("layer", ["core", "render"])
def test_every_module_of_the_layer_imports_with_mkdocs_and_material_unavailable(layer: str) -> None:
    modules = _modules(PACKAGE / layer, f"mkdocs_procedures.{layer}")
    result = _import_without_mkdocs(modules)
    assert result["failed"] == {}
    assert [name for name in result["loaded"] if name.startswith(("mkdocs.", "material"))  # type: ignore[attr-defined]
            or name == "mkdocs"] == []


def test_the_refusing_importer_refuses_the_adapter() -> None:
    result = _import_without_mkdocs(["mkdocs_procedures.plugin"])
    assert "mkdocs_procedures.plugin" in result["failed"]  # type: ignore[operator]
    assert "refused by the layer test" in result["failed"]["mkdocs_procedures.plugin"]  # type: ignore[index]
