"""The package's layout rules, checked from the sources: imports run one way, down the
stages; no import circle; no module over 500 lines, no function over 80.

    python -m tests.check_layout      # prints every breach, exit 1 if there is one

Imports under `if TYPE_CHECKING:` are for type hints only and never run: they must
still point down or sideways, but do not count toward circles.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "cleaner"
ROOT = "cleaner"
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80

# The stages, bottom up: a module may import from its own stage and the ones below.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("cleaner._version", "cleaner.accel"),
    ("cleaner.text",),
    ("cleaner.ruleset",),
    ("cleaner.judge",),
    ("cleaner.io",),
    ("cleaner.record", "cleaner.engine"),
    ("cleaner.run",),
    ("cleaner.cli", "cleaner.datatrove_step", "cleaner.__main__", "cleaner"),
)


@dataclass(frozen=True)
class Import:
    source: str
    target: str
    line: int
    typing_only: bool


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer_of(name: str) -> int:
    """The stage a module belongs to: the most specific entry of LAYERS naming it or a
    package above it (the root package, "cleaner", names only itself); -1 for none."""
    best, best_len = -1, -1
    for i, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            below = prefix != ROOT and name.startswith(prefix + ".")
            if (name == prefix or below) and len(prefix) > best_len:
                best, best_len = i, len(prefix)
    return best


def _typing_blocks(tree: ast.Module) -> set[int]:
    """Ids of the import nodes inside `if TYPE_CHECKING:` blocks."""
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test) in (
            "TYPE_CHECKING",
            "typing.TYPE_CHECKING",
        ):
            ids.update(id(sub) for stmt in node.body for sub in ast.walk(stmt))
    return ids


def imports_of(name: str, path: Path, known: dict[str, Path]) -> list[Import]:
    """Every import of a package module in one module, top level or inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = _typing_blocks(tree)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[Import] = []
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:
                sub = f"{module}.{alias.name}"
                targets.append(sub if sub in known else module)
        elif isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        for target in targets:
            if target in known and target != name:
                found.append(Import(name, target, node.lineno, id(node) in typing_only))
    return found


def circles(edges: list[Import]) -> list[list[str]]:
    """The import circles among run-time imports (strongly connected groups of 2+)."""
    graph: dict[str, set[str]] = {}
    for e in edges:
        if not e.typing_only:
            graph.setdefault(e.source, set()).add(e.target)
            graph.setdefault(e.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def breaches() -> list[str]:
    """Every breach of the layout rules, one message each."""
    known = modules()
    out: list[str] = []
    edges: list[Import] = []
    for name, path in known.items():
        if layer_of(name) < 0:
            out.append(f"{name}: in no stage of LAYERS")
        edges.extend(imports_of(name, path, known))
        source = path.read_text(encoding="utf-8")
        lines = source.count("\n")
        if lines > MAX_MODULE_LINES:
            out.append(f"{name}: {lines} lines (at most {MAX_MODULE_LINES})")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    out.append(
                        f"{name}.{node.name} (line {node.lineno}): {length} lines "
                        f"(at most {MAX_FUNCTION_LINES})"
                    )
    for e in edges:
        if layer_of(e.target) > layer_of(e.source):
            out.append(f"{e.source} line {e.line}: imports {e.target}, a later stage")
    for group in circles(edges):
        out.append(f"import circle: {' -> '.join(group)}")
    return out


def main() -> int:
    found = breaches()
    for message in found:
        print(message)
    print(f"{len(modules())} modules, {len(found)} breaches")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
