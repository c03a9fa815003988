"""HTML titles read from the page's own tags, as the extractor's title used to be."""

from __future__ import annotations

from cleaner.formats import html_title


def test_og_title_is_preferred_and_unescaped() -> None:
    page = (
        '<html><head><title>Ignored | Site</title>'
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
