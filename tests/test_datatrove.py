"""The datatrove step in real pipelines (JSONL in, cleaner, JSONL out), on the local and
the Ray executor: outputs equal `cleaner clean` on the same records, stats count rules."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from cleaner.cli import app

from .conftest import FIXTURES

datatrove = pytest.importorskip(
    "datatrove", reason="datatrove is not installed: pip install -e '.[datatrove]'"
)

from datatrove.executor import LocalPipelineExecutor  # noqa: E402
from datatrove.pipeline.readers import JsonlReader  # noqa: E402
from datatrove.pipeline.writers import JsonlWriter  # noqa: E402

from cleaner.datatrove_step import CleanerFormatter  # noqa: E402


def _records() -> list[dict]:
    """Fixture documents as records: top-level fixtures without a URL, the multi-page
    sites with theirs (a page of HTML among them)."""
    out = []
    for p in sorted(FIXTURES.glob("*.txt")):
        if not p.name.endswith(".expected.txt"):
            out.append({"id": p.stem, "text": p.read_text(encoding="utf-8")})
    for p in sorted(FIXTURES.glob("*.html"))[:1]:
        out.append({"id": p.stem, "text": p.read_text(encoding="utf-8")})
    for site in sorted((FIXTURES / "sites" / "pages").iterdir()):
        for p in sorted(site.glob("*.txt")):
            url = f"https://www.{site.name}/news/{p.stem}"
            out.append({"id": f"{site.name}/{p.stem}", "text": p.read_text(), "url": url})
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict]]:
    """Two JSONL files (one per task), and what `cleaner clean` makes of each record."""
    root = tmp_path_factory.mktemp("dt")
    records = _records()
    half = len(records) // 2
    (root / "in").mkdir()
    expected: dict[str, dict] = {}
    for n, part in enumerate((records[:half], records[half:])):
        src = root / "in" / f"part{n}.jsonl"
        src.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in part))
        out = root / f"cli{n}.jsonl"
        res = CliRunner().invoke(app, ["clean", "-q", "--jobs", "1", str(src), "-o", str(out)])
        assert res.exit_code == 0, res.output
        for line in out.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            expected[rec["id"]] = rec
    assert len(expected) == len(records)
    return root, expected


def _outputs(folder: Path) -> dict[str, dict]:
    got = {}
    for f in sorted(folder.glob("*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            got[rec["id"]] = rec
    return got


def _pipeline(root: Path, out: Path) -> list:
    return [
        JsonlReader(str(root / "in"), glob_pattern="*.jsonl"),
        CleanerFormatter(),
        JsonlWriter(str(out), compression=None),
    ]


def _check(got: dict[str, dict], expected: dict[str, dict]) -> None:
    assert sorted(got) == sorted(expected)
    for key, rec in expected.items():
        # datatrove's writer leaves empty fields out: an emptied text has no "text".
        assert got[key].get("text", "") == rec["text"], key
        info = got[key]["metadata"]["cleaner"]
        assert info == rec["cleaner"], key


def _rule_stats(logs: Path) -> dict[str, int]:
    stats = json.loads((logs / "stats.json").read_text())
    step = next(s for s in stats if "cleaner" in s["name"])
    # A plain counter is stored as a number, one with values as a summary.
    return {
        k: v if isinstance(v, int) else v["total"]
        for k, v in step["stats"].items()
        if k.startswith("removed:")
    }


def test_step_pickles_small_and_cleans_like_the_api() -> None:
    step = CleanerFormatter()
    step.cleaner  # noqa: B018 (built once used)
    data = pickle.dumps(step)
    assert len(data) < 20_000  # settings, not compiled rules
    again = pickle.loads(data)
    text = (FIXTURES / "aggregator_disclaimer_wildfire.txt").read_text(encoding="utf-8")
    assert again.format(text) == step.cleaner.clean(text).text


def test_step_with_a_profile_removes_site_furniture(tmp_path: Path) -> None:
    pages = sorted((FIXTURES / "sites" / "pages" / "valley-courier.example").glob("*.txt"))
    res = CliRunner().invoke(
        app,
        [
            "profile",
            "build",
            "-q",
            "--site",
            "valley-courier.example",
            str(pages[0].parent),
            "-o",
            str(tmp_path / "p.gz"),
        ],
    )
    assert res.exit_code == 0, res.output
    step = pickle.loads(pickle.dumps(CleanerFormatter(profile=tmp_path / "p.gz")))
    from datatrove.data import Document

    docs = [
        Document(
            p.read_text(encoding="utf-8"),
            p.stem,
            metadata={"url": f"https://{p.parent.name}/{p.stem}"},
        )
        for p in pages
    ]
    out = list(step.run(iter(docs)))
    for doc, page in zip(out, pages, strict=True):
        expected = FIXTURES / "sites" / "expected" / page.parent.name / page.name
        assert doc.text == expected.read_text(encoding="utf-8")
    assert step.stats["removed:structure.site-repeat"].n >= 6


def test_local_executor_two_tasks(corpus: tuple[Path, dict[str, dict]]) -> None:
    root, expected = corpus
    out, logs = root / "local-out", root / "local-logs"
    LocalPipelineExecutor(_pipeline(root, out), tasks=2, workers=2, logging_dir=str(logs)).run()
    _check(_outputs(out), expected)
    counted = _rule_stats(logs)
    assert counted.get("removed:aggregators.source-link", 0) >= 1
    assert counted.get("removed:structure.title", 0) >= 10


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # datatrove's Ray placement options
def test_ray_executor_two_tasks(corpus: tuple[Path, dict[str, dict]]) -> None:
    ray = pytest.importorskip("ray", reason="ray is not installed: pip install -e '.[ray]'")
    from datatrove.executor.ray import RayPipelineExecutor

    root, expected = corpus
    out, logs = root / "ray-out", root / "ray-logs"
    # a local Ray instance of our own, whatever RAY_ADDRESS says
    ray.init(
        address="local",
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        configure_logging=False,
    )
    try:
        RayPipelineExecutor(
            _pipeline(root, out),
            tasks=2,
            workers=2,
            logging_dir=str(logs),
            cpus_per_task=1,
            mem_per_cpu_gb=0.25,
        ).run()
    finally:
        ray.shutdown()
    _check(_outputs(out), expected)
    assert _rule_stats(logs) == _rule_stats(root / "local-logs")
