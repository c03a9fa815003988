"""HTML titles read from the page's own tags, as the extractor's title used to be."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import Cleaner
from cleaner.io.formats import html_title, is_html, looks_like_html


def test_og_title_is_preferred_and_unescaped() -> None:
    page = (
        "<html><head><title>Ignored | Site</title>"
        '<meta content="Mayor &amp; council agree on budget" property="og:title">'
        "</head><body></body></html>"
    )
    assert html_title(page) == "Mayor & council agree on budget"


def test_title_tag_loses_its_site_name() -> None:
    page = "<html><head><title>\n Storm closes the coast road - The Daily Gazette</title>"
    assert html_title(page) == "Storm closes the coast road"
    page = "<html><head><title>Local News | Storm closes the coast road</title>"
    assert html_title(page) == "Storm closes the coast road"


def test_a_colon_is_part_of_the_headline() -> None:
    page = "<html><head><title>Budget: what the new tax plan means for you</title>"
    assert html_title(page) == "Budget: what the new tax plan means for you"


def test_no_title_is_none() -> None:
    assert html_title("<html><body><p>Just text</p></body></html>") is None
    assert html_title("<html><head><title> | </title></head>") is None


def test_keep_title_puts_an_html_pages_headline_on_top_once() -> None:
    from cleaner import Cleaner

    paragraphs = [
        "The harbour bridge will close for repairs from Monday, the council said, and "
        "buses will use the ring road until the work is finished in the spring.",
        "Engineers found cracks in two of the bridge's steel girders during an "
        "inspection last month, and the repairs cannot wait for the summer.",
    ]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    page = (
        "<html><head><title>Harbour bridge to close for repairs | Example Post</title>"
        f"</head><body><article>{body}</article></body></html>"
    )
    titled = Cleaner(keep_title=True).clean_html(page)
    assert titled.title == "Harbour bridge to close for repairs"
    assert titled.text == "\n\n".join(["Harbour bridge to close for repairs", *paragraphs]) + "\n"
    plain = Cleaner().clean_html(page)
    assert plain.title == titled.title and plain.text == "\n\n".join(paragraphs) + "\n"
    # A page whose text holds its headline already keeps it once.
    again = page.replace("<article>", "<article><h1>Harbour bridge to close for repairs</h1>")
    assert Cleaner(keep_title=True).clean_html(again).text == titled.text


PAGE_BODY = (
    "<div class='article'><p>The harbour bridge will close for six weeks of repairs "
    "from Monday, the council said, with ferries running every twenty minutes instead."
    "</p><p>Engineers found corrosion in two of the cables during a routine inspection "
    "last spring, and the work cannot wait for the summer, a spokesman added.</p></div>"
)


@pytest.mark.parametrize(
    "text",
    [
        "<!DOCTYPE html><html><head><title>x</title></head><body>" + PAGE_BODY + "</body></html>",
        "\ufeff<?xml version='1.0' encoding='utf-8'?>\n<html><body>" + PAGE_BODY + "</body></html>",
        "<script>var waitImg = 1; elem.append(waitImg);</script>\n<body>" + PAGE_BODY,
        "<!-- saved from the web -->\n\n<head><meta charset='utf-8'></head>" + PAGE_BODY,
        "   \n\t" + PAGE_BODY,  # a fragment without <html>
    ],
    ids=["page", "bom-xml-prolog", "leading-script", "comment-then-head", "fragment"],
)
def test_html_is_recognised_by_its_content(text: str) -> None:
    assert looks_like_html(text)
    assert is_html(None, text)
    result = Cleaner().clean_html(text) if is_html(None, text) else None
    assert result is not None and "corrosion in two of the cables" in result.text
    assert "waitImg" not in result.text and "<p>" not in result.text


@pytest.mark.parametrize(
    "text",
    [
        "Use the <div> element to group content, and <p> for paragraphs, the guide says.",
        "<b>Breaking</b>: the mayor resigned today, officials said.\nMore to follow.",
        "A plain story about a harbour.\nSecond line of it.",
        "<<< not markup >>> and 3 < 4 > 2",
    ],
)
def test_text_that_mentions_tags_stays_text(text: str) -> None:
    assert not looks_like_html(text)


def test_the_suffix_and_a_forced_kind_come_first() -> None:
    page = "<html><body>" + PAGE_BODY + "</body></html>"
    assert not is_html(Path("page.txt"), page)  # named text: read as text
    assert is_html(Path("page.txt"), page, "html")
    assert not is_html(None, page, "text")
    assert is_html(Path("notes.htm"), "just words")


def test_a_jsonl_field_holding_a_page_after_a_script_is_read_as_html() -> None:
    page = "<script>elem.append(waitImg);</script>\n<body>" + PAGE_BODY + "</body>"
    record = Cleaner().clean_record({"id": "1", "text": page})
    assert "corrosion in two of the cables" in record["text"]
    assert "waitImg" not in record["text"] and "<p>" not in record["text"]
