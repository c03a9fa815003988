#!/usr/bin/env python3
"""Accuracy of `cleaner` on the shared dev sets: one row per set and input kind.

Reads ../shared/bench/articles and ../shared/bench/dragnet (next to the project) and
scores with the benchmark's own scorer (../shared/tools/bench_score.py: 4-word shingle
F1, averaged over pages), so the figures compare with published tables. Every headline
row runs what a user runs: `Cleaner()` with its defaults (the mode decided per
document), on the full-page text dumps, on each extractor's output under extracted/,
and on the HTML (`cleaner clean page.html`). dragnet's truth keeps each page's headline,
so that set is cleaned with keep_title, as its README says. `--forced` adds the rows
with after-extractor mode forced on extractor output. Skips politely when a set is
absent.

    python bench/quality.py [--set articles|dragnet] [--only dumps|extracted|html]
                            [--worst N] [--forced]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_ROOT = ROOT.parent / "shared" / "bench"
# Each set and whether its truth keeps the headline.
SETS = {"articles": False, "dragnet": True}
SCORER = ROOT.parent / "shared" / "tools" / "bench_score.py"


def load_scorer(path: Path):
    spec = importlib.util.spec_from_file_location("bench_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def f1_of(row: dict) -> float:
    p, r = row["precision"] or 0.0, row["recall"] or 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


class Bench:
    """The benchmark's pages, truths, and the scorer."""

    def __init__(self, root: Path, scorer) -> None:
        self.root = root
        self.scorer = scorer
        self.truth = {
            p.stem: p.read_text(encoding="utf-8") for p in sorted((root / "truth").glob("*.txt"))
        }

    def read(self, folder: Path, suffix: str = ".txt") -> dict[str, str]:
        out = {}
        for key in self.truth:
            p = folder / f"{key}{suffix}"
            out[key] = p.read_text(encoding="utf-8", errors="replace") if p.exists() else ""
        return out

    def score(self, outputs: dict[str, str]) -> dict:
        return self.scorer.score({k: (self.truth[k], outputs.get(k, "")) for k in self.truth})


def run_rows(
    bench: Bench, only: str | None, cleaner_kw: dict, forced: bool = False
) -> list[tuple[str, dict, dict, float]]:
    from cleaner import Cleaner

    rows = []
    plain = Cleaner(**cleaner_kw)
    after = Cleaner(after_extractor=True, ruleset=plain.ruleset, keep_title=plain.keep_title)

    def row(name: str, before: dict[str, str], clean: Callable[[str], str]) -> None:
        started = time.perf_counter()
        cleaned = {k: clean(v) for k, v in before.items()}
        seconds = time.perf_counter() - started
        rows.append((name, bench.score(before), bench.score(cleaned), seconds))

    if only in (None, "dumps"):
        row(
            "dumps (full-page text)",
            bench.read(bench.root / "dumps"),
            lambda t: plain.clean(t).text,
        )
    extracted = bench.root / "extracted"
    if only in (None, "extracted") and extracted.is_dir():
        for system in sorted(p.name for p in extracted.iterdir() if p.is_dir()):
            texts = bench.read(extracted / system)
            row(f"after {system}", texts, lambda t: plain.clean(t).text)
            if forced:
                row(f"after {system}, forced light", texts, lambda t: after.clean(t).text)
    if only in (None, "html"):
        html = bench.read(bench.root / "html", ".html")
        for engine in html_engines():
            started = time.perf_counter()
            alone = {k: engine.extract(v) for k, v in html.items()}
            t_alone = time.perf_counter() - started
            started = time.perf_counter()
            if engine.name == "trafilatura":  # what `cleaner clean page.html` does
                cleaned = {k: plain.clean_html(v).text for k, v in html.items()}
            else:  # the engine's own output, cleaned as a user's text would be
                cleaned = {k: plain.clean(engine.extract(v)).text for k, v in html.items()}
            seconds = time.perf_counter() - started
            name = f"html: {engine.name} ({t_alone:.1f}s alone)"
            rows.append((name, bench.score(alone), bench.score(cleaned), seconds))
    return rows


class _Engine:
    def __init__(self, name: str, extract: Callable[[str], str]) -> None:
        self.name, self.extract = name, extract


def html_engines() -> list[_Engine]:
    import trafilatura

    engines = [_Engine("trafilatura", lambda h: trafilatura.extract(h) or "")]
    try:
        from resiliparse.extract.html2text import extract_plain_text
        from resiliparse.parse.html import HTMLTree

        engines.append(
            _Engine(
                "resiliparse",
                lambda h: extract_plain_text(HTMLTree.parse(h), main_content=True) or "",
            )
        )
    except ImportError:
        pass
    return engines


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", choices=sorted(SETS), help="one dev set (default: both)")
    ap.add_argument("--bench", type=Path, default=BENCH_ROOT, help="folder of the sets")
    ap.add_argument("--only", choices=["dumps", "extracted", "html"])
    ap.add_argument("--worst", type=int, default=8, help="worst pages to list for dumps")
    ap.add_argument("--forced", action="store_true", help="add forced after-extractor rows")
    ap.add_argument("--rules", type=Path, action="append", default=[], help="extra rule files")
    ap.add_argument("--no-default-rules", action="store_true")
    args = ap.parse_args(argv)
    if not SCORER.exists():
        print(f"scorer not found at {SCORER}: skipped")
        return 0
    scorer = load_scorer(SCORER)
    for name in [args.set] if args.set else list(SETS):
        root = args.bench / name
        if not (root / "truth").is_dir():
            print(f"{name}: benchmark not found at {root}: skipped")
            continue
        kw = {"rules": args.rules, "default_rules": not args.no_default_rules}
        if SETS[name]:
            kw["keep_title"] = True
        bench = Bench(root, scorer)
        rows = run_rows(bench, args.only, kw, args.forced)
        title = f"{name} ({len(bench.truth)} pages"
        print(f"\n{title}{', keep_title' if SETS[name] else ''}, default settings)")
        print_rows(rows, args.worst)
    return 0


def print_rows(rows: list[tuple[str, dict, dict, float]], worst: int) -> None:
    head = ("input", "before F1", "after F1", "P", "R", "ΔF1", "ΔR", "s")
    print("{:<38} {:>9} {:>9} {:>6} {:>6} {:>7} {:>7} {:>6}".format(*head))
    for name, before, after, seconds in rows:
        print(
            f"{name:<38} {before['f1']:>9.4f} {after['f1']:>9.4f} {after['precision']:>6.3f} "
            f"{after['recall']:>6.3f} {after['f1'] - before['f1']:>+7.4f} "
            f"{after['recall'] - before['recall']:>+7.4f} {seconds:>6.1f}"
        )
    for name, _before, after, _s in rows:
        if worst and name.startswith("dumps"):
            print(f"\nworst pages, {name}:")
            ranked = sorted(after["rows"].items(), key=lambda kv: f1_of(kv[1]))[:worst]
            for key, r in ranked:
                p, q = r["precision"] or 0, r["recall"] or 0
                print(f"  {key}: f1={f1_of(r):.3f} p={p:.3f} r={q:.3f}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
