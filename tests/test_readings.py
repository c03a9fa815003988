"""Which reading of an HTML page is its body: trafilatura's text or the page's own."""

from __future__ import annotations

from pathlib import Path

from cleaner import Cleaner
from cleaner.engine import _continue_from
from cleaner.judge.document import Document
from cleaner.judge.readings import continuation, page_reading_reason

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

BODY = [
    "The council approved the new budget on Tuesday after a long debate in the chamber.",
    "Members said the plan would fund road repairs and two new libraries over three years.",
    "The mayor said council tax would stay unchanged for the second year running.",
]
SURPLUS = [
    "Jane says: I think the libraries are a great idea and I hope they open soon enough.",
    "Tom says: Road repairs are long overdue on our street, the potholes are dangerous now.",
]
FURNITURE = ["Home News Sport Weather", "Copyright 2024 The Example Times. All rights reserved."]


def test_page_reading_taken_when_the_extractor_kept_a_surplus_around_it() -> None:
    reason = page_reading_reason(BODY + SURPLUS, BODY)
    assert reason is not None
    assert "43% of the extractor's text" in reason and "100% inside" in reason


def test_extractor_kept_when_the_page_reading_holds_more_than_it() -> None:
    # The page's reading kept menus the extractor left out: the extractor is better.
    assert page_reading_reason(BODY, FURNITURE + BODY + FURNITURE) is None


def test_extractor_kept_when_they_agree() -> None:
    assert page_reading_reason(BODY, BODY) is None


def test_extractor_kept_when_the_readings_are_different_blocks() -> None:
    # Neither lies inside the other: no evidence the page's block is the body.
    assert page_reading_reason(SURPLUS + FURNITURE, BODY) is None


def test_a_short_page_reading_is_never_preferred() -> None:
    assert page_reading_reason(BODY + SURPLUS, BODY[:1]) is None


def test_page_reading_when_the_extractor_found_nothing() -> None:
    assert page_reading_reason([], BODY) == "the extractor found no main text"
    assert page_reading_reason([], BODY[:1]) is None


def test_clean_html_takes_the_page_reading_and_says_why() -> None:
    page = (FIXTURES / "html_popular_posts_in_article_kayak.html").read_text(encoding="utf-8")
    result = Cleaner().clean_html(page)
    assert result.reading == "page"
    assert result.mode == "full"
    assert result.mode_reason is not None
    assert "outside the body the page shows" in result.mode_reason
    assert "sourdough" not in result.text and "Share this" not in result.text
    assert "sixty boats" in result.text
    info = Cleaner().clean_record({"text": page})["cleaner"]
    assert info["reading"] == "page"


def test_clean_html_keeps_trafilatura_text_when_the_readings_agree() -> None:
    page = (FIXTURES / "html_article_harbour_festival.html").read_text(encoding="utf-8")
    result = Cleaner().clean_html(page)
    assert result.reading == "extractor"
    assert result.mode == "light"


def test_page_reading_when_cleaning_found_the_extractor_text_a_block_of_junk() -> None:
    # The extractor's 1,000 words were a gallery's captions: cleaning kept one line.
    reason = page_reading_reason(BODY[:1], BODY + SURPLUS, extracted_words=1000)
    assert reason is not None and "kept 2%" in reason
    # Most of it kept: the usual comparison decides (the readings agree here).
    assert page_reading_reason(BODY, BODY, extracted_words=60) is None
    # The page shows no more than the little that was kept: nothing to prefer.
    assert page_reading_reason(BODY, BODY[:1], extracted_words=1000) is None


LONG = [
    "The council approved the new budget on Tuesday after a long debate in the chamber that "
    "ran well into the evening, with members of every party taking their turn to speak.",
    "Members said the plan would fund road repairs and two new libraries over three years, "
    "and that the money would come from savings made in the council's own offices over "
    "the same period.",
    "The mayor said council tax would stay unchanged for the second year running, although "
    "charges for parking in the town centre would rise by a small amount from the start "
    "of April.",
    "Opposition members said the libraries should have come first, and that the road repairs "
    "could have waited another year without any real harm to the many people who drive "
    "on them.",
]


def _page(*lines: str) -> Document:
    return Cleaner().judge("\n".join(lines) + "\n")


def test_the_page_continues_the_article_where_the_extractor_stopped_at_an_ad_slot() -> None:
    whole = _page(*LONG[:2], "Advertisement", *LONG[2:])
    found = continuation(LONG[:2], whole)
    assert [whole.lines[i].text for i in found] == LONG[2:]


def test_no_continuation_past_furniture_or_after_a_short_last_line() -> None:
    # A reader's name line between: comments, not the article going on.
    whole = _page(*LONG[:2], "Posted by Jane Smithson on 4 March", *LONG[2:])
    assert continuation(LONG[:2], whole) == []
    # The extractor ended on a short line of its own: its end, not a cut in prose.
    end = "The budget takes effect in April."
    whole = _page(*LONG[:2], end, *LONG[2:])
    assert continuation([*LONG[:2], end], whole) == []
    # Nothing the extractor kept is on the page: nothing to continue.
    assert continuation(["An unrelated line of text about something else."], whole) == []


def test_the_continuation_is_appended_to_the_body_and_named_in_the_mode_reason() -> None:
    result = Cleaner().clean("\n\n".join(LONG[:2]))
    whole = _page(*LONG[:2], "Advertisement", *LONG[2:])
    words = result.words_out
    _continue_from(result, whole, continuation(LONG[:2], whole))
    assert result.text == "\n\n".join(LONG) + "\n"
    assert result.words_out == words + sum(len(p.split()) for p in LONG[2:])
    assert "2 paragraphs from line 4 of the page's text continue the article" in (
        result.mode_reason or ""
    )
