"""Site profiles: exact merges, the site-repeat step, cross-site safety, rules from a
profile, and rules scoped to sites."""

from __future__ import annotations

import contextlib
import functools
import gzip
import json
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from cleaner import Cleaner
from cleaner.cli import app
from cleaner.io.site_profile import Profile, ProfileError
from cleaner.judge.sites import SITE_REPEAT, line_key
from cleaner.ruleset.load import load_ruleset
from cleaner.ruleset.model import RuleSet, RuleSetError
from cleaner.run.profile import Sources, build_profile, document_site
from cleaner.text.site_names import canonical_url, site_of_url

from .conftest import FIXTURES

SITES = FIXTURES / "sites"
A, B = "valley-courier.example", "northfield-gazette.example"


def pages(site: str) -> list[Path]:
    return sorted((SITES / "pages" / site).glob("*.txt"))


def expected(page: Path) -> str:
    return (SITES / "expected" / page.parent.name / page.name).read_text(encoding="utf-8")


def record(page: Path, host: str | None = None) -> dict:
    host = host or page.parent.name
    return {
        "id": f"{host}/{page.stem}",
        "url": f"https://www.{host}/news/{page.stem}",
        "text": page.read_text(encoding="utf-8"),
    }


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path


def learned(records: list[dict], **kw) -> Cleaner:
    """A Cleaner with the profile of `records`, as `clean --learn` builds it."""
    profile = Profile()
    for r in records:
        profile.add(site_of_url(r.get("url")), _units(r["text"]))
    return Cleaner(ruleset=_default_rules(), profile=profile, **kw)


@functools.cache
def _default_rules() -> RuleSet:
    return Cleaner().ruleset


@functools.cache
def _learned_all() -> Cleaner:
    return learned(ALL)


def _units(text: str) -> list[str]:
    from cleaner.run.profile import units_of

    return units_of(text, False)


def run(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(app, list(args))
    return res.exit_code, res.output


ALL = [record(p) for site in (A, B) for p in pages(site)]


# ---- profiles ------------------------------------------------------------------------


def test_line_key_folds_case_digits_punctuation() -> None:
    assert line_key("© 2024 Upper Valley Media") == line_key("©1999 upper-valley MEDIA!")
    assert line_key("Share this") != line_key("Share these")
    assert line_key("— · —") is None
    assert 0 <= line_key("Straße 12") < 2**63


def test_sites_from_urls_canonical_links_and_the_site_option() -> None:
    assert site_of_url("https://WWW.Example.com:8080/a?b") == "example.com"
    assert site_of_url("news.example.co.uk/x") == "news.example.co.uk"
    assert site_of_url("") is None
    html = '<html><head><link href="https://www.paper.example/a/1" rel="canonical"></head>'
    assert canonical_url(html) == "https://www.paper.example/a/1"
    og = "<html><head><meta property=\"og:url\" content='https://blog.example/p'></head>"
    assert canonical_url(og) == "https://blog.example/p"
    sources = Sources(site="fallback.example")
    assert document_site(sources, "https://a.example/x", html) == "a.example"
    assert document_site(sources, None, html) == "paper.example"
    assert document_site(sources, None, None) == "fallback.example"
    assert document_site(Sources(), None, "<html></html>") is None


def test_profile_counts_documents_per_site_once_per_document(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "all.jsonl", [*ALL, {"text": "no url\nno url\n"}])
    built = build_profile([src])
    p = built.profile
    assert (p.sites[A].documents, p.sites[B].documents, p.unsited) == (6, 6, 1)
    assert p.sites[A].counts[line_key("E-Edition")] == 6
    assert p.sites[B].counts[line_key("Facebook")] == 6
    assert line_key("E-Edition") not in p.sites[B].counts
    # a sample is kept for repeated lines only (memory grows with repeats, not the corpus)
    assert p.sites[A].samples[line_key("E-Edition")] == "E-Edition"
    first_paragraph = expected(pages(A)[0]).split("\n\n")[0]
    assert line_key(first_paragraph) not in p.sites[A].samples


def test_shards_profiled_apart_merge_to_the_single_run_profile(tmp_path: Path) -> None:
    records = [*ALL, {"text": "a page without a site\n"}]
    whole = write_jsonl(tmp_path / "whole.jsonl", records)
    assert run("profile", "build", "-q", str(whole), "-o", str(tmp_path / "one.gz"))[0] == 0
    shards = []
    for i in range(3):
        shard = write_jsonl(tmp_path / f"s{i}.jsonl", records[i::3])
        out = tmp_path / f"s{i}.profile"
        assert run("profile", "build", "-q", str(shard), "-o", str(out))[0] == 0
        shards.append(str(out))
    assert run("profile", "merge", *shards, "-o", str(tmp_path / "merged.gz"))[0] == 0
    assert run("profile", "merge", *shards[::-1], "-o", str(tmp_path / "back.gz"))[0] == 0
    one = Profile.load(tmp_path / "one.gz")
    merged = Profile.load(tmp_path / "merged.gz")
    assert merged.unsited == one.unsited == 1
    assert sorted(merged.sites) == sorted(one.sites) == [B, A]
    for site in one.sites:
        assert merged.sites[site].documents == one.sites[site].documents
        assert merged.sites[site].counts == one.sites[site].counts
        # samples: a merge has one for a line when a shard had (see profile.py); which
        # variant of a line ("March 4, 2024", "March 11, 2024") may differ
        assert merged.sites[site].samples
        for k, text in merged.sites[site].samples.items():
            assert k in one.sites[site].samples and line_key(text) == k
    # merging is order-free, to the byte
    assert (tmp_path / "merged.gz").read_bytes() == (tmp_path / "back.gz").read_bytes()


def test_worker_processes_build_the_same_profile(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "all.jsonl", ALL * 3)
    one, two = tmp_path / "1.gz", tmp_path / "2.gz"
    assert run("profile", "build", "-q", "--jobs", "1", str(src), "-o", str(one))[0] == 0
    assert run("profile", "build", "-q", "--jobs", "2", str(src), "-o", str(two))[0] == 0
    assert one.read_bytes() == two.read_bytes()


def test_profile_file_is_versioned_gzip_json(tmp_path: Path) -> None:
    p = build_profile([write_jsonl(tmp_path / "a.jsonl", ALL)]).profile
    p.save(tmp_path / "p.profile")
    data = json.loads(gzip.decompress((tmp_path / "p.profile").read_bytes()))
    assert (data["format"], data["version"]) == ("cleaner-site-profile", 1)
    assert data["sites"][A]["documents"] == 6
    data["version"] = 99
    (tmp_path / "bad.profile").write_bytes(gzip.compress(json.dumps(data).encode()))
    with pytest.raises(ProfileError, match="version"):
        Profile.load(tmp_path / "bad.profile")
    (tmp_path / "junk.profile").write_text("not a profile")
    code, out = run("clean", "--profile", str(tmp_path / "junk.profile"), str(pages(A)[0]))
    assert code == 2 and "not a gzip JSON profile" in out


# ---- cleaning with a profile ---------------------------------------------------------


@pytest.mark.parametrize("page", [p for s in (A, B) for p in pages(s)], ids=lambda p: p.stem)
def test_site_furniture_goes_with_a_profile_and_every_body_line_stays(page: Path) -> None:
    cleaner = _learned_all()
    result = cleaner.clean(page.read_text(encoding="utf-8"), url=record(page)["url"])
    assert result.text == expected(page)
    assert any(r.by == SITE_REPEAT for r in result.removals)
    assert not result.flags


def test_rules_alone_leave_furniture_that_the_profile_removes() -> None:
    plain = Cleaner(ruleset=_default_rules())
    left = [p for s in (A, B) for p in pages(s) if plain.clean(p.read_text()).text != expected(p)]
    assert len(left) >= 6


def test_clean_learn_on_a_folder_and_on_jsonl(tmp_path: Path) -> None:
    folder = tmp_path / "a"
    folder.mkdir()
    for p in pages(A):
        (folder / p.name).write_bytes(p.read_bytes())
    code, out = run("clean", "-q", "--learn", "--site", A, str(folder), "-o", str(tmp_path / "o"))
    assert code == 0, out
    for p in pages(A):
        assert (tmp_path / "o" / p.name).read_text(encoding="utf-8") == expected(p)
    src = write_jsonl(tmp_path / "all.jsonl", ALL)
    code, out = run("clean", "-q", "--learn", str(src), "-o", str(tmp_path / "out.jsonl"))
    assert code == 0, out
    for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        site, stem = rec["id"].split("/")
        assert rec["text"] == expected(SITES / "pages" / site / f"{stem}.txt")


def test_explain_names_the_site_repeat_step(tmp_path: Path) -> None:
    profile = tmp_path / "p.gz"
    folder = str(SITES / "pages" / A)
    assert run("profile", "build", "-q", "--site", A, folder, "-o", str(profile))[0] == 0
    code, out = run("explain", "--profile", str(profile), "--site", A, str(pages(A)[0]))
    assert code == 0
    assert "About the Courier  [structure.site-repeat] (in 6 of 6 pages of the site)" in out


def test_documents_without_a_site_are_not_pooled(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for p in pages(A):
        (folder / p.name).write_bytes(p.read_bytes())
    p = build_profile([folder]).profile
    assert (p.unsited, p.sites) == (6, {})
    assert run("clean", "-q", "--learn", str(folder), "-o", str(tmp_path / "learn"))[0] == 0
    assert run("clean", "-q", str(folder), "-o", str(tmp_path / "plain"))[0] == 0
    for f in (tmp_path / "plain").iterdir():
        assert (tmp_path / "learn" / f.name).read_bytes() == f.read_bytes()


SHARED_QUOTE = "“We are not done yet,” the minister said."


def _with_line(page: Path, line: str) -> str:
    """The page with a line added after its first article paragraph."""
    first = expected(page).split("\n\n")[0]
    return page.read_text(encoding="utf-8").replace(first + "\n", f"{first}\n{line}\n", 1)


def _with_quote(recs: list[dict], where: dict[str, int]) -> list[dict]:
    """Records with SHARED_QUOTE in the first `where[site]` pages of each site."""
    out, seen = [], dict.fromkeys(where, 0)
    for r in recs:
        site = site_of_url(r["url"])
        page = SITES / "pages" / site / (r["id"].split("/")[1] + ".txt")
        if seen.get(site, 0) < where.get(site, 0):
            seen[site] += 1
            r = {**r, "text": _with_line(page, SHARED_QUOTE)}
        out.append(r)
    return out


def test_lines_shared_across_sites_are_kept_and_within_a_site_removed() -> None:
    # in 6 documents: 3 of each site (five sites quoting one speaker, in small)
    across = _with_quote(ALL, {A: 3, B: 3})
    cleaner = learned(across)
    for r in across:
        if SHARED_QUOTE in r["text"]:
            assert SHARED_QUOTE in cleaner.clean(r["text"], url=r["url"]).text
    # the same line on 5 of one site's 6 pages is that site's furniture
    within = _with_quote(ALL, {A: 5})
    cleaner = learned(within)
    for r in within:
        if SHARED_QUOTE in r["text"]:
            result = cleaner.clean(r["text"], url=r["url"])
            assert SHARED_QUOTE not in result.text
            assert [x.by for x in result.removals if x.text == SHARED_QUOTE] == [SITE_REPEAT]


def test_prose_needs_a_clear_majority_and_copied_pages_keep_their_article() -> None:
    prose = (
        "The council said on Monday that it would publish the full report on its "
        "website once the consultation had closed."
    )
    recs = []
    for n, r in enumerate(ALL):
        if site_of_url(r["url"]) == A and n < 4:  # 4 of 6 pages: 67%, not 80%
            page = SITES / "pages" / A / (r["id"].split("/")[1] + ".txt")
            r = {**r, "text": _with_line(page, prose)}
        recs.append(r)
    cleaner = learned(recs)
    for r in recs:
        if prose in r["text"]:
            assert prose in cleaner.clean(r["text"], url=r["url"]).text
    # a page printed six times over (updates, AMP and print versions): its own
    # subheading repeats as often as the page itself, so it stays
    page = SITES / "pages" / B / "museum-reopens.txt"
    subhead = "A loom comes home"
    text = _with_line(page, subhead)
    copies = [record(page) | {"id": f"copy{n}", "text": text} for n in range(6)]
    cleaner = learned(ALL + copies)
    result = cleaner.clean(text, url=record(page)["url"])
    assert subhead in result.text
    first = expected(page).split("\n\n")[0]
    assert result.text == expected(page).replace(first, f"{first}\n\n{subhead}", 1)


def test_the_page_own_headline_is_not_taken_as_furniture() -> None:
    # every Valley Courier headline is also in the "Most Read" box of most pages
    cleaner = _learned_all()
    for p in pages(A):
        result = cleaner.clean(p.read_text(encoding="utf-8"), url=record(p)["url"])
        headline = p.read_text(encoding="utf-8").splitlines()[11]
        assert not [r for r in result.removals if r.by == SITE_REPEAT and r.text == headline]


# ---- rules from a profile, and rules scoped to sites ---------------------------------


def test_suggested_rules_pass_rules_check_and_remove_the_furniture(tmp_path: Path) -> None:
    mirror = [record(p, "courier-mirror.example") for p in pages(A)]
    src = write_jsonl(tmp_path / "all.jsonl", ALL + mirror)
    profile, rules = tmp_path / "p.gz", tmp_path / "suggested.toml"
    assert run("profile", "build", "-q", str(src), "-o", str(profile))[0] == 0
    code, out = run(
        "rules", "suggest", "--profile", str(profile), "--min-sites", "2", "-o", str(rules)
    )
    assert code == 0, out
    text = rules.read_text(encoding="utf-8")
    assert f'domains = ["{B}"]' in text
    assert 'id = "suggested.generic"' in text  # the Courier's menu, on two sites
    assert "# in 6 of 6 documents" in text
    code, out = run("rules", "check", str(rules))
    assert code == 0 and out.startswith("ok:"), out
    # the suggested rules do the profile's work, scoped to their sites
    cleaner = Cleaner([rules])
    page = pages(B)[0]
    result = cleaner.clean(page.read_text(encoding="utf-8"), url=record(page)["url"])
    assert "Read more from the Gazette on our free app" not in result.text
    assert any(r.by.startswith("suggested.site.northfield") for r in result.removals)
    elsewhere = cleaner.clean(page.read_text(encoding="utf-8"), url="https://other.example/x")
    assert not any(r.by.startswith("suggested.site.") for r in elsewhere.removals)


SCOPED = """
title = "Scoped"
version = "1.0.0"
languages = ["en"]
category = "custom"

[[rule]]
id = "custom.gazette-app"
description = "The Gazette's app promo."
phrases = ["Read the Gazette on our app"]
domains = ["gazette.example"]
junk = ["Read the Gazette on our app"]

[[rule]]
id = "custom.not-on-docs"
description = "'Docs home' links, except on the docs site where it is a heading."
phrases = ["Docs home"]
not_domains = ["docs.example"]
junk = ["Docs home"]
"""


def test_domains_scope_rules_to_known_sites(tmp_path: Path) -> None:
    path = tmp_path / "scoped.toml"
    path.write_text(SCOPED, encoding="utf-8")
    cleaner = Cleaner([path])
    body = (FIXTURES / "hard_pure_article_lighthouse.expected.txt").read_text(encoding="utf-8")

    def removed(line: str, url: str | None = None, site: str | None = None) -> bool:
        c = Cleaner(ruleset=cleaner.ruleset, site=site) if site else cleaner
        result = c.clean(f"{body}\n{line}\n", url=url)
        return line not in result.text

    app_line, docs_line = "Read the Gazette on our app", "Docs home"
    assert removed(app_line, "https://www.gazette.example/a")
    assert removed(app_line, "https://m.gazette.example/a")  # a subdomain
    assert not removed(app_line, "https://other.example/a")
    assert not removed(app_line)  # no site known: domain rules stay out
    assert removed(app_line, site="gazette.example")  # --site
    assert removed(docs_line) and removed(docs_line, "https://other.example/")
    assert not removed(docs_line, "https://docs.example/")
    assert run("rules", "check", str(path))[0] == 0


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ('["www.example.com"]', "not a site"),
        ('["https://example.com"]', "not a site"),
        ('["Example.com"]', "not a site"),
        ("[]", "is empty"),
        ('"example.com"', "must be a list"),
    ],
)
def test_bad_domains_are_refused(tmp_path: Path, value: str, problem: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(SCOPED.replace('domains = ["gazette.example"]', f"domains = {value}"))
    with pytest.raises(RuleSetError, match=problem):
        load_ruleset([path], default_rules=False)


def test_a_stock_subheading_inside_articles_stays_where_a_tail_line_goes() -> None:
    # ten pages of one site; a short line on six of them (60%: above the 50% share)
    host = "combined.example"
    ten = [*pages(A), *pages(B)[:4]]
    subhead = "The view from the council"

    def with_tail(page: Path, line: str) -> str:
        last = expected(page).rstrip("\n").split("\n\n")[-1]
        return page.read_text(encoding="utf-8").replace(last + "\n", f"{last}\n{line}\n", 1)

    for place, make in (("inside", _with_line), ("tail", with_tail)):
        recs = [
            record(p, host) | ({"text": make(p, subhead)} if n < 6 else {})
            for n, p in enumerate(ten)
        ]
        cleaner = learned(recs)
        kept = [subhead in cleaner.clean(r["text"], url=r["url"]).text for r in recs[:6]]
        # inside the article's own prose a line needs a clear majority (80%) to go
        assert kept == [place == "inside"] * 6, place


def test_a_broken_gzip_input_is_skipped_and_the_profile_goes_on(tmp_path: Path) -> None:
    good = json.dumps({"url": "https://a.org/x", "text": "Hello there.\nMenu"}).encode() + b"\n"
    many = b"".join(  # records that differ, so half the gzip stream holds some
        json.dumps({"url": f"https://a.org/{n}", "text": f"Story {n * 7919}.\nMenu"}).encode()
        + b"\n"
        for n in range(2000)
    )
    packed = gzip.compress(many)
    (tmp_path / "cut.jsonl.gz").write_bytes(packed[: len(packed) // 2])
    (tmp_path / "ok.jsonl").write_bytes(good * 3)
    readable = 0  # the records before the cut count, as `cleaner clean` writes them
    with contextlib.suppress(EOFError), gzip.open(tmp_path / "cut.jsonl.gz") as cut:
        for _line in cut:
            readable += 1
    built = build_profile([tmp_path / "cut.jsonl.gz", tmp_path / "ok.jsonl"])
    assert 0 < readable < 2000 and built.profile.documents == readable + 3
    assert built.skipped.count == 1 and "cut.jsonl.gz" in built.skipped.examples[0]
    assert "cannot read line" in built.skipped.examples[0]
