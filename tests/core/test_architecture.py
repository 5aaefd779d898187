"""The frame's rules, checked on the source: no import circles, the core imports no form,
every form is declared once and its parts resolve, and modules stay small."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import typer
from fastapi import APIRouter

from rightsdesk.core.forms import load_ref
from rightsdesk.forms import FORMS, all_importers, built_forms, service

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = SRC / "rightsdesk"
FORM_PACKAGES = {form.name for form in FORMS}
MAX_LINES = 500


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Modules of the package that ``name`` imports anywhere (functions included), except
    under ``if TYPE_CHECKING:``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            skip.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    out: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name in known)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                if sub in known:
                    out.add(sub)
                elif base in known:
                    out.add(base)
    out.discard(name)
    return out


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_circles() -> None:
    cycles = _cycles(_graph())
    assert cycles == [], f"modules importing each other back: {cycles}"


def test_cycle_detector_finds_a_circle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_core_imports_no_form() -> None:
    graph = _graph()
    offenders = {
        (module, target)
        for module, targets in graph.items()
        if module.startswith("rightsdesk.core")
        for target in targets
        if target.split(".")[1] in FORM_PACKAGES or target in {"rightsdesk.forms"}
    }
    assert offenders == set()


def test_forms_import_no_other_form() -> None:
    graph = _graph()
    offenders = set()
    for module, targets in graph.items():
        parts = module.split(".")
        if len(parts) < 2 or parts[1] not in FORM_PACKAGES:
            continue
        for target in targets:
            other = target.split(".")[1]
            if other in FORM_PACKAGES and other != parts[1]:
                offenders.add((module, target))
    assert offenders == set(), "a form reads another through its public service functions"


def test_modules_stay_small() -> None:
    big = {
        name: n
        for name, path in _modules().items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert big == {}, f"modules over {MAX_LINES} lines: split them into rooms"


def test_every_form_package_is_registered() -> None:
    packages = {
        p.parent.name
        for p in PACKAGE.glob("*/__init__.py")
        if "FORM = Form(" in p.read_text(encoding="utf-8")
    }
    assert packages == FORM_PACKAGES


def test_every_declared_part_resolves() -> None:
    for form in built_forms():
        assert form.router and isinstance(load_ref(form.router), APIRouter), form.name
        assert form.commands, form.name
        for command in form.commands:
            assert isinstance(load_ref(command.app), typer.Typer), command
        for ref in form.state_panels:
            assert callable(load_ref(ref)), ref
        for ref in form.models:
            load_ref(ref)
        assert form.migration_folder() is not None, form.name
        for name, ref in form.services:
            assert callable(load_ref(ref)), (form.name, name)
            assert service(form.name, name) is load_ref(ref)
    kinds = [importer.kind for importer in all_importers()]
    assert len(kinds) == len(set(kinds)), "two importers claim one kind"


def test_nothing_registers_itself_on_import() -> None:
    """Panels, routers and commands are named in FORM, never appended to a global list."""
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "register_state_panel" not in text, path
        assert ".append(" not in text or "PANELS" not in text, path


def test_an_unknown_service_is_named_in_the_error() -> None:
    with pytest.raises(LookupError, match="offers no service 'nothing'"):
        service("monitoring", "nothing")
    with pytest.raises(LookupError, match="no form named"):
        service("astrology", "anything")
