"""Guesses the page must confirm: a wrong headline, a list taken for a menu, never take
the article with them (vetoes.py). Fixtures in fixtures/vetoes/: NAME.txt, the article
lines that must all be kept (NAME.article.txt) and junk that must still go (NAME.junk.txt).
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import Cleaner
from cleaner.accel import load_pure
from cleaner.judge import body, headline
from cleaner.judge.document import HEURISTIC

from .conftest import FIXTURES

VETOES = FIXTURES / "vetoes"
# Each page, and the step whose wrong guess on it is vetoed.
CASES = {
    "magazine_issue_label_below_article_glacier": headline.ABOVE_HEADLINE,
    "lyrics_chorus_repeats_page_title_harbour": headline.ABOVE_HEADLINE,
    "recipe_blog_ingredients_above_method_lebkuchen": body.DETACHED,
}


def lines_of(path: Path) -> list[str]:
    return [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def test_every_fixture_here_is_a_case() -> None:
    pages = {p.stem for p in VETOES.glob("*.txt") if p.stem.count(".") == 0}
    assert pages == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_article_is_kept_whole_and_junk_still_goes(cleaner: Cleaner, name: str) -> None:
    result = cleaner.clean((VETOES / f"{name}.txt").read_text(encoding="utf-8"))
    out = paragraphs(result.text)
    article = lines_of(VETOES / f"{name}.article.txt")
    assert [p for p in out if p in article] == article  # every line, in order
    assert not set(lines_of(VETOES / f"{name}.junk.txt")) & set(out)
    assert not result.flags
    assert [v.by for v in result.vetoes] == [CASES[name]]


@pytest.mark.parametrize("name", sorted(CASES))
def test_without_the_veto_the_guess_takes_the_article(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """The page is a real test of its veto: the guess, let act, loses the article.
    (On the pure-Python copy: calls between compiled modules do not look patches up.)"""
    pure = load_pure()
    pure_headline = importlib.import_module(f"{pure.__name__}.judge.headline")
    pure_body = importlib.import_module(f"{pure.__name__}.judge.body")
    monkeypatch.setattr(pure_headline, "headline_drops_main_run", lambda *a: None)
    monkeypatch.setattr(pure_body, "is_list", lambda *a: False)
    result = pure.Cleaner().clean((VETOES / f"{name}.txt").read_text(encoding="utf-8"))
    article = lines_of(VETOES / f"{name}.article.txt")
    kept = [p for p in paragraphs(result.text) if p in article]
    assert len(kept) < len(article)


@pytest.mark.parametrize("name", sorted(CASES))
def test_explain_shows_the_vetoed_step(name: str) -> None:
    got = subprocess.run(
        [sys.executable, "-m", "cleaner", "explain", str(VETOES / f"{name}.txt")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert got.returncode == 0, got.stderr
    shown = [ln for ln in got.stdout.splitlines() if ": vetoed (" in ln]
    assert len(shown) == 1 and f"! {CASES[name]}: vetoed (" in shown[0]
    assert got.stdout.splitlines()[-1].count("1 vetoed") == 1


def test_trace_records_the_veto(tmp_path: Path) -> None:
    name = "magazine_issue_label_below_article_glacier"
    record = {"id": 1, "text": (VETOES / f"{name}.txt").read_text(encoding="utf-8")}
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(record) + "\n", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    got = subprocess.run(
        [sys.executable, "-m", "cleaner", "clean", str(src), "-o", str(out), "--trace"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert got.returncode == 0, got.stderr
    info = json.loads(out.read_text(encoding="utf-8"))["cleaner"]
    (veto,) = info["vetoes"]
    assert veto["by"] == headline.ABOVE_HEADLINE and veto["line"] == 21
    assert "main text run" in veto["reason"]


def test_the_last_item_of_a_list_is_not_taken_as_the_headline() -> None:
    """A method right under its ingredient list, on a full page: the list's last item is
    headline-shaped, but it ends a list, so no headline is taken and the list stays."""
    cleaner = Cleaner(after_extractor=False)
    items = [
        "500 g Mehl", "250 g Honig", "2 Eier", "1 TL Zimt", "1 Prise Salz", "50 g Nüsse",
        "1 EL Kakao", "100 g Zucker", "50 g Orangeat", "1 TL Natron", "1 TL gemahlene Nelken",
    ]  # fmt: skip
    method = [
        "Den Honig mit dem Zucker in einem Topf erwärmen, bis sich der Zucker gelöst hat.",
        "Mehl, Natron und Gewürze mischen, die Eier dazugeben und alles zu einem Teig kneten.",
        "Den Teig über Nacht ruhen lassen, dann ausrollen, ausstechen und zwölf Minuten backen.",
    ]
    result = cleaner.clean("\n".join(["Zutaten", *items, *method]) + "\n")
    assert result.title is None
    assert paragraphs(result.text) == ["Zutaten", *items, *method]
    assert [(v.by, v.line) for v in result.vetoes] == [(headline.TITLE, 12)]
    assert "last item of the list at lines 2-12" in result.vetoes[0].reason


# ---- a property: one real prose run with junk around it ------------------------------

PROSE = sorted(
    {
        line
        for p in FIXTURES.glob("*.expected.txt")
        for line in p.read_text(encoding="utf-8").splitlines()
        if len(line.split()) >= 12 and line.endswith(".") and line.isascii()
    }
)
MENU = ["Home", "News", "Sport", "Politics", "Business", "Contact", "About us", "Sign in"]
TEASERS = [
    "Council votes to close the old library",
    "Storm brings down trees across the valley",
    "Five things to know about the new tram line",
    "Why the harbour ferry is late again",
]
LABELS = ["MAGAZINE 52/2018", "Issue 12", "Chorus", "Print edition 3/2021", "Video 02:14"]


@st.composite
def pages(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A page: a title line naming a label (a print-issue label, a section or video
    label) that stands below the article, to tempt the headline anchor; menus, teasers
    and labels above and below; one run of real prose, and up to two lines of promo
    prose right below the label."""
    run = draw(st.lists(st.sampled_from(PROSE), min_size=4, max_size=9, unique=True))
    junk = st.sampled_from(MENU + TEASERS + LABELS)
    above = draw(st.lists(junk, max_size=12))
    below = draw(st.lists(junk, max_size=12))
    promo = draw(st.lists(st.sampled_from(PROSE), max_size=2, unique=True))
    bait = draw(st.sampled_from(LABELS))
    title = f"{draw(st.sampled_from(TEASERS))} - {bait}"
    lines = [title, *above, *run, bait, *[p for p in promo if p not in run], *below]
    return "\n".join(lines) + "\n", run


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page=pages())
def test_no_structural_step_removes_more_than_a_third_of_the_prose_run(
    cleaner: Cleaner, page: tuple[str, list[str]]
) -> None:
    text, run = page
    doc = cleaner.judge(text)
    lost = [
        ln
        for ln in doc.lines
        if ln.text in run and ln.removed_kind == HEURISTIC and ln.removal is not None
    ]
    assert len(lost) <= len(run) / 3, [(ln.no, ln.removed_by) for ln in lost]


def test_a_zero_comment_counter_above_a_post_does_not_cut_it(cleaner: Cleaner) -> None:
    """'0 comments' right above a post is its counter: the thread cut is vetoed and the
    post stays; 'No comments:' with the comment form right below still ends the page."""
    intro = (
        "I live, I learn and I teach, and a post of 140 characters is never enough, so "
        "here I share and celebrate the videos, the poems and the small ideas that make "
        "me smile."
    )
    post = [
        "You do not have to circle the globe to dance, the video says: dance where you are.",
        "In a car, at the office, while waiting in line, in front of a mirror, anywhere.",
    ]
    result = cleaner.clean("\n".join(["A Small Blog of Joy", intro, "0 comments", *post]) + "\n")
    assert paragraphs(result.text)[-2:] == post
    assert [v.by for v in result.vetoes] == ["comments.thread-header"]
    closed = cleaner.clean("\n".join([intro, *post, "No comments:", "Post a Comment"]) + "\n")
    assert paragraphs(closed.text) == [intro, *post] and not closed.vetoes
