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
