"""The command line as a user runs it: exit codes, folders, stdin, explain, rules."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BODY = (
    "The city council voted on Tuesday to rebuild the old harbour bridge, ending a debate "
    "that had run for more than a decade.\n"
    "Engineers said the work would start in the spring and take about two years, with one "
    "lane kept open for buses and cyclists throughout.\n"
)
# (A comment-form note, not a heading: a heading would cut the tail as a block.)
DOC = (
    "Council votes to rebuild the harbour bridge\n"
    + BODY
    + "Source link\nYour email address will not be published.\n"
)
HTML = (
    "<html><head><title>Council votes to rebuild the bridge</title></head><body>"
    "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article>"
    "<h1>Council votes to rebuild the bridge</h1>"
    + "".join(f"<p>{p}</p>" for p in BODY.strip().split("\n"))
    + "</article><footer>Powered by Blogger.</footer></body></html>"
)


def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "cleaner", *args], input=stdin, capture_output=True, timeout=120
    )
    return subprocess.CompletedProcess(
        proc.args, proc.returncode, proc.stdout.decode(), proc.stderr.decode()
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    (src / "a").mkdir(parents=True)
    (src / "one.txt").write_text(DOC, encoding="utf-8")
    (src / "a" / "b.html").write_text(HTML, encoding="utf-8")
    (src / "a" / "notes.md").write_text("not cleaned", encoding="utf-8")
    return src


def test_clean_folder_mirrors_tree_and_leaves_inputs_alone(tree: Path, tmp_path: Path) -> None:
    before = {p: p.read_bytes() for p in tree.rglob("*") if p.is_file()}
    out = tmp_path / "out"
    proc = run("clean", str(tree), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        "a/b.txt",
        "one.txt",
    ]
    assert (out / "one.txt").read_text(encoding="utf-8") == BODY.replace("\n", "\n\n")[:-1]
    html_out = (out / "a" / "b.txt").read_text(encoding="utf-8")
    assert "harbour bridge, ending a debate" in html_out and "Blogger" not in html_out
    assert {p: p.read_bytes() for p in tree.rglob("*") if p.is_file()} == before


def test_stdin_to_stdout() -> None:
    proc = run("clean", "-", stdin=DOC.encode())
    assert proc.returncode == 0
    assert proc.stdout == BODY.replace("\n", "\n\n")[:-1]


def test_single_file_to_stdout_and_keep_title(tree: Path) -> None:
    proc = run("clean", str(tree / "one.txt"), "--keep-title")
    assert proc.stdout.startswith("Council votes to rebuild the harbour bridge\n\nThe city council")


def test_output_inside_input_is_refused(tree: Path) -> None:
    proc = run("clean", str(tree), "-o", str(tree / "out"))
    assert proc.returncode == 2 and "inside input folder" in proc.stderr


def test_folder_without_output_is_a_usage_error(tree: Path) -> None:
    assert run("clean", str(tree)).returncode == 2


def test_binary_input_fails_alone_and_the_rest_is_written(tree: Path, tmp_path: Path) -> None:
    (tree / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    out = tmp_path / "out"
    proc = run("clean", str(tree), "-o", str(out))
    assert proc.returncode == 1
    assert "image.txt: binary file" in proc.stderr and "Traceback" not in proc.stderr
    assert (out / "one.txt").exists() and not (out / "image.txt").exists()


def test_latin1_input_is_decoded(tmp_path: Path) -> None:
    p = tmp_path / "latin.txt"
    text = BODY.replace("harbour", "Hafenbrücke über die Straße")
    p.write_bytes(text.encode("cp1252"))
    proc = run("clean", str(p))
    assert proc.returncode == 0 and "Hafenbrücke über die Straße" in proc.stdout


def test_explain_names_a_reason_for_every_removed_line(tree: Path) -> None:
    proc = run("explain", str(tree / "one.txt"))
    assert proc.returncode == 0
    removed = [ln for ln in proc.stdout.splitlines() if ln[5:6] in ("-", "T")]
    assert len(removed) == 3
    assert all(ln.rstrip().endswith("]") and "[" in ln for ln in removed)
    assert "\x1b[" not in proc.stdout  # plain when piped


def test_rules_list_show_check(tmp_path: Path) -> None:
    listed = run("rules", "list")
    assert listed.returncode == 0 and "comments." in listed.stdout
    rule_id = next(ln.split()[0] for ln in listed.stdout.splitlines() if ln.startswith("comments."))
    shown = run("rules", "show", rule_id)
    assert shown.returncode == 0 and "junk:" in shown.stdout
    assert run("rules", "show", "no.such-rule").returncode == 2
    assert run("rules", "check").returncode == 0
    sample = tmp_path / "sample.txt"
    sample.write_text("Share this:\nLeave a Reply\nA plain sentence of the article body.\n")
    costed = run("rules", "check", "--cost", str(sample), "--top", "3")
    assert costed.returncode == 0 and "cost on 1 documents, 3 lines" in costed.stdout
    rows = costed.stdout.splitlines()[3:]
    assert len(rows) == 3 and all(row.split()[0].count(".") >= 1 for row in rows)
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'title = "x"\nversion = "1.0.0"\nlanguages = ["en"]\ncategory = "ads"\n'
        '[[rule]]\nid = "ads.x"\ndescription = "d"\nregex = "(a+)+b"\njunk = ["ab"]\n'
    )
    proc = run("rules", "check", str(bad))
    assert proc.returncode == 2
    assert str(bad) in proc.stderr and "ads.x" in proc.stderr and "catastrophic" in proc.stderr


def test_broken_user_rules_stop_clean_with_exit_2(tree: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("this is not toml = = =")
    proc = run("clean", str(tree / "one.txt"), "--rules", str(bad))
    assert proc.returncode == 2 and "bad.toml" in proc.stderr and "Traceback" not in proc.stderr


def test_after_extractor_and_full_page_modes(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("Sign in\nWeather Desk\n" + BODY + "Source link\n", encoding="utf-8")
    light = run("explain", "--after-extractor", str(page))
    full = run("explain", "--full-page", str(page))
    assert "light structure" in light.stdout and "full structure" in full.stdout
    # A full page's head is menus: a short line next to rule-named junk goes. After an
    # extractor the head is article, and only rule-named junk goes.
    assert "Weather Desk  [structure.head-run]" in full.stdout
    assert "   2   Weather Desk\n" in light.stdout
    assert "Source link  [aggregators.source-link]" in light.stdout


def test_folder_run_prints_a_summary_unless_quiet(tree: Path, tmp_path: Path) -> None:
    proc = run("clean", str(tree), "-o", str(tmp_path / "out"))
    assert proc.returncode == 0
    assert "2 of 2 inputs cleaned" in proc.stderr and "2 documents" in proc.stderr
    assert "of words removed" in proc.stderr and "top rules: " in proc.stderr
    quiet = run("clean", str(tree), "-o", str(tmp_path / "out2"), "-q")
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_jsonl_from_stdin_needs_a_jsonl_output(tmp_path: Path) -> None:
    proc = run("clean", "-", "--format", "jsonl", "-o", str(tmp_path / "out"))
    assert proc.returncode == 2 and "-o FILE.jsonl" in proc.stderr
    proc = run("clean", "-", "--format", "jsonl", "-o", str(tmp_path / "o.jsonl"), stdin=b"{}\n")
    assert proc.returncode == 1 and "<stdin>:1: no 'text' field" in proc.stderr
    assert (tmp_path / "o.rejects.jsonl").read_bytes() == b"{}\n"


def test_closed_stdout_ends_a_jsonl_run_quietly(tmp_path: Path) -> None:
    src = tmp_path / "data.jsonl"
    src.write_text("".join(json.dumps({"n": i, "text": DOC}) + "\n" for i in range(2000)))
    with open(tmp_path / "stderr", "wb") as err_file:  # a file: it can never fill and block
        proc = subprocess.Popen(
            [sys.executable, "-m", "cleaner", "clean", str(src), "--jobs", "1"],
            stdout=subprocess.PIPE,
            stderr=err_file,
        )
        try:
            assert proc.stdout is not None
            first = proc.stdout.readline()
            proc.stdout.close()  # as `| head -1` does
            proc.wait(timeout=120)
        finally:
            proc.kill()
    stderr = (tmp_path / "stderr").read_bytes()
    assert first.startswith(b'{"n":0,')
    assert proc.returncode == 1 and b"Traceback" not in stderr


def test_html_on_stdin_is_read_as_html_even_after_a_script(tmp_path: Path) -> None:
    page = "<script>var waitImg = 1; elem.append(waitImg);</script>\n" + HTML
    got = run("clean", "-", stdin=page.encode())
    assert got.returncode == 0
    assert "ending a debate" in got.stdout and "waitImg" not in got.stdout
    assert "<p>" not in got.stdout
    as_text = run("clean", "-", "--format", "text", stdin=page.encode())
    assert "<article>" in as_text.stdout  # forced text: the markup stays
    named = tmp_path / "page.txt"  # a page saved as .txt is text unless told
    named.write_text(HTML, encoding="utf-8")
    forced = run("clean", str(named), "--format", "html")
    assert forced.returncode == 0 and "ending a debate" in forced.stdout
    assert "<article>" not in forced.stdout
    assert "<article>" in run("clean", str(named)).stdout


def test_one_input_with_o_naming_a_file_writes_that_file(tree: Path, tmp_path: Path) -> None:
    single = tmp_path / "single.txt"
    got = run("clean", str(tree / "one.txt"), "-o", str(single))
    assert got.returncode == 0, got.stderr
    assert single.is_file() and "ending a debate" in single.read_text(encoding="utf-8")
    assert "Source link" not in single.read_text(encoding="utf-8")
    again = run("clean", str(tree / "a" / "b.html"), "-o", str(single))  # replaced whole
    assert again.returncode == 0 and "<p>" not in single.read_text(encoding="utf-8")
    folder = run("clean", str(tree), "-o", str(single))
    assert folder.returncode == 2
    assert "is a file, not a folder" in folder.stderr and "Traceback" not in folder.stderr


def test_explain_takes_folders_several_files_and_jsonl_records(tree: Path, tmp_path: Path) -> None:
    listing = run("explain", str(tree))
    assert listing.returncode == 0
    assert "== " + str(tree / "one.txt") in listing.stdout
    assert "== " + str(tree / "a" / "b.html") in listing.stdout
    records = tmp_path / "r.jsonl"
    records.write_text(
        json.dumps({"id": "x1", "text": DOC}) + "\n" + json.dumps({"id": "x2", "text": 7}) + "\n"
    )
    both = run("explain", str(records))
    assert both.returncode == 1  # one record has no text: named, the other explained
    assert "(id x1)" in both.stdout and "[aggregators.source-link]" in both.stdout
    assert "r.jsonl:2 (id x2)" in both.stderr
    one = run("explain", str(records), "--id", "x1")
    assert one.returncode == 0 and one.stdout.count("== ") == 1
    assert run("explain", str(records), "--id", "nope").returncode == 2


def test_missing_inputs_exit_2_from_every_command(tmp_path: Path) -> None:
    missing = str(tmp_path / "absent.txt")
    for args in (
        ("clean", missing),
        ("explain", missing),
        ("profile", "build", missing, "-o", str(tmp_path / "p.json")),
    ):
        got = run(*args)
        assert got.returncode == 2, (args, got.stderr)
        assert "absent.txt" in got.stderr and "Traceback" not in got.stderr


def test_flagged_documents_written_kept_or_rejected(tmp_path: Path) -> None:
    junk = "Powered by Blogger.\nLeave a Reply\n"  # nothing but junk: flagged emptied
    src = tmp_path / "in"
    src.mkdir()
    (src / "junk.txt").write_text(junk, encoding="utf-8")
    (src / "good.txt").write_text(DOC, encoding="utf-8")
    kept = run("clean", str(src), "-o", str(tmp_path / "k"), "--flagged", "keep")
    assert kept.returncode == 0 and "kept uncleaned" in kept.stderr
    assert (tmp_path / "k" / "junk.txt").read_text(encoding="utf-8") == junk  # as it came
    assert "Source link" not in (tmp_path / "k" / "good.txt").read_text(encoding="utf-8")
    rejected = run("clean", str(src), "-o", str(tmp_path / "r"), "--flagged", "reject")
    assert rejected.returncode == 1 and "--flagged reject" in rejected.stderr
    assert not (tmp_path / "r" / "junk.txt").exists() and (tmp_path / "r" / "good.txt").exists()
    written = run("clean", str(src / "junk.txt"))  # the default: write, and say so
    assert written.returncode == 0 and written.stdout == "" and "emptied" in written.stderr
    records = tmp_path / "r.jsonl"
    lines = [json.dumps({"id": 1, "text": junk}), json.dumps({"id": 2, "text": DOC})]
    records.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    got = run("clean", str(records), "-o", str(out), "--flagged", "reject", "-q")
    assert got.returncode == 1
    assert [json.loads(x)["id"] for x in out.read_text().splitlines()] == [2]
    assert (tmp_path / "o.rejects.jsonl").read_text().splitlines() == lines[:1]
    run("clean", str(records), "-o", str(out), "--flagged", "keep", "-q")
    assert out.read_text().splitlines()[0] == lines[0]  # the record unchanged
    stdin = run("clean", "-", "--flagged", "keep", stdin=junk.encode())
    assert stdin.returncode == 0 and stdin.stdout == junk
    assert run("clean", "-", "--flagged", "reject", stdin=junk.encode()).returncode == 1


COMMENTED = (
    "<html><head><title>Bridge to close for repairs</title></head><body><article>"
    "<h1>Bridge to close for repairs</h1>"
    "<p>The harbour bridge will close for six weeks of repairs from Monday, the council "
    "said, with ferries running every twenty minutes instead.</p>"
    "<p>Engineers found corrosion in two of the cables during a routine inspection last "
    "spring, and the work cannot wait for the summer, a spokesman added.</p></article>"
    "<div class='comments'><h3>Comments</h3>"
    "<div class='comment'><p>Anna: About time they fixed it, I cross it every day.</p></div>"
    "<div class='comment'><p>Ben: Six weeks is far too long for a bridge.</p></div>"
    "</div></body></html>"
)


def test_comments_are_dropped_unless_asked_for(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(COMMENTED, encoding="utf-8")
    plain = run("clean", str(page))
    assert plain.returncode == 0 and "corrosion" in plain.stdout and "Anna" not in plain.stdout
    kept = run("clean", str(page), "--comments")
    assert kept.returncode == 0
    body, _, comments = kept.stdout.partition("Anna")
    assert plain.stdout.strip() in body  # the same body, then the comments
    assert "Six weeks is far too long" in comments
    records = tmp_path / "r.jsonl"
    records.write_text(json.dumps({"id": 1, "text": COMMENTED}) + "\n", encoding="utf-8")
    got = run("clean", str(records), "--comments", "-q")
    (rec,) = [json.loads(x) for x in got.stdout.splitlines()]
    lines = [x for x in rec["text"].split("\n") if x.strip()]
    n = rec["cleaner"]["comment_lines"]
    assert n >= 2 and any("Anna" in x for x in lines[-n:]) and "Anna" not in " ".join(lines[:-n])
    without = run("clean", str(records), "-q")
    assert "comment_lines" not in json.loads(without.stdout)["cleaner"]


def test_html_summary_gives_both_shares(tmp_path: Path) -> None:
    """Of the pages' own text and of the extracted text: 14 MB of pages never read as
    '0.4% removed'. A text file in the same run does not count in the HTML shares."""
    src = tmp_path / "in"
    src.mkdir()
    script = "<script>var words = 'these words are code and never text';</script>"
    (src / "page.html").write_text(HTML.replace("<body>", "<body>" + script), encoding="utf-8")
    (src / "doc.txt").write_text(DOC, encoding="utf-8")
    stats = tmp_path / "stats.json"
    proc = run("clean", str(src), "-o", str(tmp_path / "out"), "--stats", str(stats))
    assert proc.returncode == 0, proc.stderr
    html = json.loads(stats.read_text(encoding="utf-8"))["html"]
    # The page shows: Home, News, the <h1> (6 words), the body, "Powered by Blogger."
    body_words = len(BODY.split())
    assert html["documents"] == 1 and html["page_words"] == 2 + 6 + body_words + 3
    assert html["words_out"] == body_words  # the body alone comes out
    page_share = 1 - body_words / html["page_words"]
    assert html["removed_share_of_pages"] == round(page_share, 4)
    line = next(ln for ln in proc.stderr.splitlines() if ln.startswith("cleaner: HTML: "))
    assert f"1 pages, {page_share:.1%} of the pages' text removed" in line
    assert f"{html['removed_share_of_extracted']:.1%} of the extracted text" in line
    plain = run("clean", str(src / "doc.txt"), "-o", str(tmp_path / "one.txt"))
    assert "HTML:" not in plain.stderr


def test_explain_steps_lists_the_engine_steps_in_order() -> None:
    from cleaner.judge.steps import STEPS

    r = run("explain", "--steps")
    assert r.returncode == 0, r.stderr
    heads = [line.split()[1] for line in r.stdout.splitlines() if line[:2].strip().isdigit()]
    assert heads == [step.name for step in STEPS]
    assert "[structure.head-run, structure.tail-run]" in r.stdout
    assert "cleaner/judge/article_end.py" in r.stdout
    missing = run("explain")
    assert missing.returncode == 2 and "give files or folders to explain" in missing.stderr
