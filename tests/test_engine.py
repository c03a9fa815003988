"""Engine behaviour: normalization, rules in place, structure heuristics, flags, trace."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cleaner import Cleaner

BODY = [
    "The city council voted on Tuesday to rebuild the old harbour bridge, ending a debate "
    "that had run for more than a decade.",
    "Engineers said the work would start in the spring and take about two years, with one "
    "lane kept open for buses and cyclists throughout.",
    "Residents who live near the bridge said they were relieved that a decision had "
    "finally been made, although some worry about the noise.",
]


MORE = [
    "The bridge was closed to lorries in 2019 after inspectors found cracks in two of its "
    "supports, and repairs since then have cost the council about £2 million.",
    "A public exhibition of the new design will open at the town hall next month, and "
    "residents will be able to comment on it until the end of the summer.",
]


def doc(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def body_text(lines: list[str]) -> str:
    return "\n\n".join(lines) + "\n"


def test_pure_body_is_left_alone(cleaner: Cleaner) -> None:
    r = cleaner.clean(doc(*BODY))
    assert r.text == body_text(BODY)
    assert r.removals == [] and r.title is None and r.flags == []


def test_paragraphs_are_separated_by_one_blank_line(cleaner: Cleaner) -> None:
    r = cleaner.clean(BODY[0] + "\n\n\n\n" + BODY[1] + "\n" + BODY[2])
    assert r.text == body_text(BODY)


def test_normalizes_spaces_zero_width_and_crlf(cleaner: Cleaner) -> None:
    raw = BODY[0].replace(" ", "\u00a0", 3) + "\r\n" + BODY[1].replace("a", "a\u200b", 2) + "\r\n"
    r = cleaner.clean(raw)
    assert r.text == body_text(BODY[:2])


def test_headline_is_taken_out_and_returned(cleaner: Cleaner, titled_cleaner: Cleaner) -> None:
    raw = doc("Council votes to rebuild the harbour bridge", "", *BODY)
    r = cleaner.clean(raw)
    assert r.title == "Council votes to rebuild the harbour bridge"
    assert r.text == body_text(BODY)
    assert titled_cleaner.clean(raw).text.startswith(
        "Council votes to rebuild the harbour bridge\n\n"
    )


def test_kicker_above_headline_is_dropped(cleaner: Cleaner) -> None:
    r = cleaner.clean(doc("Local politics", "Council votes to rebuild the harbour bridge", *BODY))
    assert r.text == body_text(BODY)
    assert [(x.text, x.by) for x in r.removals if x.action != "title"] == [
        ("Local politics", "structure.above-title")
    ]


def test_rule_junk_and_neighbouring_short_lines_in_tail(cleaner: Cleaner) -> None:
    # (A comment-form note: a form heading would cut the tail itself, as tested below.)
    r = cleaner.clean(
        doc(
            *BODY,
            "Your email address will not be published.",
            "Jane Smithson",
            "Powered by Blogger.",
        )
    )
    assert r.text == body_text(BODY)
    by = {x.text: x.by for x in r.removals}
    assert by["Jane Smithson"] == "structure.tail-run"
    assert by["Your email address will not be published."].startswith("comments.")


def test_a_comment_form_heading_below_the_article_cuts_the_tail(cleaner: Cleaner) -> None:
    """Below the article, "Leave a Reply" starts the comment area: all of it goes, as one
    block named after the heading. Above the article the heading is only dropped."""
    r = cleaner.clean(doc(*BODY, "Post a Comment Cancel reply", "Jane Smithson", "Great post!"))
    assert r.text == body_text(BODY)
    cut = [x for x in r.removals if x.action == "cut-tail"]
    assert [x.text for x in cut] == ["Post a Comment Cancel reply", "Jane Smithson", "Great post!"]
    assert {x.by for x in cut} == {"comments.reply-form-heading"}
    r = cleaner.clean(doc("Leave a Reply", *BODY))
    assert r.text == body_text(BODY)
    assert [(x.text, x.by, x.action) for x in r.removals] == [
        ("Leave a Reply", "comments.leave-a-reply", "drop")
    ]


def test_short_body_line_at_end_without_junk_is_kept(cleaner: Cleaner) -> None:
    lines = [*BODY, "More details are expected next week"]
    assert cleaner.clean(doc(*lines)).text == body_text(lines)


def test_newsroom_credit_is_body_even_next_to_junk(cleaner: Cleaner) -> None:
    credit = "With reporting by Reuters and AFP"
    r = cleaner.clean(doc(*BODY, credit, "Source link"))
    assert r.text == body_text([*BODY, credit])


def test_headline_repeated_in_tail_is_dropped(cleaner: Cleaner) -> None:
    title = "Council votes to rebuild the harbour bridge"
    r = cleaner.clean(doc(title, *BODY, "Source link", title))
    assert r.text == body_text(BODY)
    assert any(x.by == "structure.title-repeat" for x in r.removals)


def test_teaser_repeating_headline_above_it_is_dropped(cleaner: Cleaner) -> None:
    title = "Council votes to rebuild the harbour bridge"
    for teaser in (f"story : {title} {BODY[0][:60]}", f"{title} {BODY[0]}"):
        r = cleaner.clean(doc(teaser, "", title, *BODY))
        assert r.text == body_text(BODY)
        assert r.title == title
        assert [x.by for x in r.removals if x.text == teaser] in (
            ["structure.teaser"],
            ["structure.title-repeat"],
        )


def test_body_sentences_with_junk_words_stay(cleaner: Cleaner) -> None:
    lines = [
        *BODY,
        "Share prices of the construction firm rose 3% after the vote, traders said.",
        "The mayor declined to comment on the cost, saying the source of the figures was private.",
    ]
    assert cleaner.clean(doc(*lines)).text == body_text(lines)


def test_everything_removed_is_flagged(cleaner: Cleaner) -> None:
    r = cleaner.clean(doc("Leave a Reply", "Powered by Blogger."))
    assert r.text == ""
    assert r.flags == ["emptied"]


def test_most_removed_is_flagged(cleaner: Cleaner) -> None:
    junk = ["Leave a Reply", "Your email address will not be published."] * 12
    r = cleaner.clean(doc(BODY[0], *junk))
    assert r.text == body_text(BODY[:1])
    assert r.flags == ["most-removed"]


def test_every_removed_line_is_explained(cleaner: Cleaner) -> None:
    r = cleaner.clean(
        doc(
            "Menu",
            "Council votes to rebuild the harbour bridge",
            *BODY,
            "Source link",
            "Leave a Reply",
        )
    )
    dropped = [v for v in r.verdicts if v.status in ("drop", "title")]
    assert dropped and all(v.by for v in dropped)
    assert {v.line for v in dropped} == {x.line for x in r.removals}


def test_empty_and_blank_documents(cleaner: Cleaner) -> None:
    for raw in ("", "\n\n  \n"):
        r = cleaner.clean(raw)
        assert r.text == "" and r.flags == [] and r.removals == []


def test_unspaced_scripts_count_words_by_characters(cleaner: Cleaner) -> None:
    from cleaner.text.features import line_features

    ja = "Kindle for PCをインストールすると自動でホットキーが設定され、起動するようになります。"
    assert line_features(ja).words >= 15 and line_features(ja).good
    body = [ja, "これが非常に困ったもので、設定画面からでは変更することができませんでした。"] * 2
    r = cleaner.clean(doc(*body, "Leave a Reply"))
    assert r.text == body_text(body)


def test_hard_wrapped_text_is_judged_by_paragraph_and_keeps_its_breaks(cleaner: Cleaner) -> None:
    para = (
        "The council voted on Tuesday to rebuild the old harbour bridge, ending a\n"
        "debate that had run for more than a decade, and engineers said the work\n"
        "would start in the spring and take about two years to complete, with a\n"
        "lane kept open for buses.\n"
    )
    raw = "Harbour bridge to be rebuilt\n\n" + para + "\n" + para + "\nSource link\n"
    r = cleaner.clean(raw)
    assert r.title == "Harbour bridge to be rebuilt"
    assert r.text == para + "\n" + para


def test_one_line_document_is_split_into_sentences(cleaner: Cleaner) -> None:
    sentence = "The council voted on Tuesday to rebuild the old harbour bridge after years. "
    raw = sentence * 40 + "Leave a Reply"
    r = cleaner.clean(raw)
    assert r.text == (sentence * 40).strip() + "\n"
    assert [x.by for x in r.removals] == ["comments.leave-a-reply"]
    drops = [v for v in r.verdicts if v.status == "drop"]
    assert [(v.text, v.by) for v in drops] == [("Leave a Reply", "comments.leave-a-reply")]
    assert sum(v.status == "keep" for v in r.verdicts) == 40


def test_language_is_guessed_from_stopwords() -> None:
    from cleaner.text.language import detect_language

    assert detect_language(" ".join(BODY)) == "en"
    de = "Der Rat hat am Dienstag beschlossen, die alte Brücke im Hafen neu zu bauen, und die"
    assert (
        detect_language(de + " Arbeiten sollen im Frühjahr beginnen und zwei Jahre dauern.") == "de"
    )
    fr = "Le conseil a voté mardi pour reconstruire le vieux pont du port, et les travaux"
    assert detect_language(fr + " commenceront au printemps pour une durée de deux ans.") == "fr"
    assert detect_language("Калининград 2019 Москва") is None  # no list: structure alone
    pl = "Rada miasta zdecydowała we wtorek, że stary most w porcie zostanie odbudowany, a"
    pl += " prace mają się zacząć na wiosnę i potrwać dwa lata, ale nie dłużej."
    assert detect_language(pl) == "pl"
    ru = "Городской совет решил, что старый мост в порту будет построен заново, и что работы"
    ru += " начнутся весной, но если погода не позволит, то их начнут уже после лета."
    assert detect_language(ru) == "ru"


def test_document_in_a_language_without_stopwords_is_not_emptied(cleaner: Cleaner) -> None:
    ru = [
        "Городской совет во вторник проголосовал за восстановление старого моста в гавани.",
        "Инженеры заявили, что работы начнутся весной и продлятся около двух лет.",
        "Жители близлежащих домов сказали, что рады окончательному решению совета.",
    ]
    r = cleaner.clean(doc("Совет решил восстановить мост", *ru, "Source link"))
    assert r.text == body_text(ru) and r.language is None


def test_full_page_whose_first_line_has_no_words(cleaner: Cleaner) -> None:
    full = Cleaner(after_extractor=False, ruleset=cleaner.ruleset)
    for first in ("***", "—", "|"):
        r = full.clean(doc(first, "Council votes to rebuild the harbour bridge", *BODY))
        assert r.text == body_text(BODY)


def test_explain_keeps_each_sentence_of_a_long_line_apart(cleaner: Cleaner) -> None:
    sentence = "The council voted on Tuesday to rebuild the old harbour bridge after years. "
    photo = "The mayor opened the works on Friday morning. (Photo: Jane Roe/Agency) "
    r = cleaner.clean(sentence * 20 + photo + sentence * 20 + "Leave a Reply")
    assert [(v.status, v.by) for v in r.verdicts if v.status != "keep"] == [
        ("strip", "embeds.photo-credit"),
        ("drop", "comments.leave-a-reply"),
    ]


def test_headline_with_initials_and_titles_is_headline_shaped(cleaner: Cleaner) -> None:
    for title in (
        "Man pleads guilty to threatening Rep. Jane Doe",
        "U.S. States see rise in rents",
    ):
        r = cleaner.clean(doc(title, "", *BODY))
        assert r.title == title and r.text == body_text(BODY)


def test_teaser_box_with_blurbs_closes_the_article(cleaner: Cleaner) -> None:
    page = doc(
        "Council votes to rebuild the harbour bridge | Example Post",
        *["Home", "News", "Sport", "Weather", "Opinion", "Business", "Contact"],
        "Council votes to rebuild the harbour bridge",
        *BODY,
        *MORE,
        "More in Politics",
        "Mayor opens the new library on Station Road",
        "The building has taken three years and cost more than was planned at first.",
        "School meals to cost ten pence more from September",
        "Parents were told of the change in a letter sent home on Friday afternoon.",
        "© 2024 Example Post",
    )
    r = cleaner.clean(page)
    assert r.text == body_text([*BODY, *MORE])
    by = {x.text: x.by for x in r.removals}
    assert by["Mayor opens the new library on Station Road"] == "structure.after-article"


def test_box_inside_the_article_drops_only_its_headlines(cleaner: Cleaner) -> None:
    page = doc(
        "Council votes to rebuild the harbour bridge | Example Post",
        *["Home", "News", "Sport", "Weather", "Opinion", "Business", "Contact"],
        "Council votes to rebuild the harbour bridge",
        *BODY[:2],
        "Related",
        "Mayor opens the new library on Station Road",
        "School meals to cost ten pence more from September",
        BODY[2],
        "© 2024 Example Post",
    )
    r = cleaner.clean(page)
    assert r.text == body_text(BODY)
    by = {x.text: x.by for x in r.removals}
    assert by["Mayor opens the new library on Station Road"] == "structure.teaser-box"


def test_prose_cut_off_by_a_long_menu_is_detached(cleaner: Cleaner) -> None:
    menu = ["World", "Politics", "Business", "Markets", "Health", "Science", "Travel"]
    menu += ["Style", "Food", "Books", "Music", "Film"]
    note = "Quotes on this page come from an outside provider and may be out of date by now."
    r = cleaner.clean(doc("Council votes to rebuild the harbour bridge", *BODY, *menu, note))
    assert r.text == body_text(BODY)
    assert {x.text: x.by for x in r.removals}[note] == "structure.detached-prose"


FORUM_MENU = ["Home", "Teams", "Fixtures", "Results", "Tables", "Transfers", "Rumours"]
FORUM_MENU += ["Blogs", "Groups", "Fans", "Boards", "Fantasy"]
FORUM_OPENING = (
    "Harbour City's striker Dan Rivers said on Sunday that the club's first defeat of the "
    "season would make the squad stronger, after a late goal settled a close derby that "
    "the side had led for most of the second half in front of a record crowd at the "
    "stadium by the river."
)
FORUM_POSTS = [
    f"Reader post {n}: I think the coach will change the midfield again before the next "
    f"derby, because the second half showed how tired the squad was by the end."
    for n in range(1, 9)
]


FORUM_HEADLINE = "Rivers vows to bounce back after first defeat"
FORUM_FURNITURE = ["Profile", "Contact", "Report Abuse", "Quote", "Views", "1204"] * 2


def forum_page(*opening: str) -> str:
    """A forum page: its title, a menu, the headline, the opening lines given, then a
    menu of post furniture and the posts, more prose than the opening."""
    title = f"{FORUM_HEADLINE} - Rumours - Fan Forum"
    return doc(title, *FORUM_MENU, FORUM_HEADLINE, *opening, *FORUM_FURNITURE, *FORUM_POSTS)


def test_the_opening_below_a_confirmed_headline_is_not_detached(cleaner: Cleaner) -> None:
    """A bigger stretch of prose further down (a forum's posts) does not make the
    article's opening, right below the headline the page title confirms, furniture."""
    r = cleaner.clean(forum_page("Views", "1204", FORUM_OPENING))
    assert r.title == FORUM_HEADLINE
    assert FORUM_OPENING in r.text.split("\n\n")
    assert ("structure.detached-prose", "the article's opening, right below its headline") in [
        (v.by, v.reason) for v in r.vetoes
    ]


def test_a_short_standfirst_cut_off_by_a_menu_is_still_detached(cleaner: Cleaner) -> None:
    """One line of a few words under the headline is a standfirst, not the article."""
    standfirst = "The striker says the derby defeat will make the squad stronger this season."
    r = cleaner.clean(forum_page(standfirst))
    assert standfirst not in r.text
    assert {x.text: x.by for x in r.removals}[standfirst] == "structure.detached-prose"


def test_second_copy_of_an_extracted_article_is_dropped(cleaner: Cleaner) -> None:
    r = cleaner.clean(doc(*BODY, *BODY))
    assert r.mode == "light" and r.text == body_text(BODY)
    assert [x.by for x in r.removals] == ["structure.duplicate"] * 3


def test_comment_thread_longer_than_the_article_is_cut(cleaner: Cleaner) -> None:
    body = [*BODY, *BODY[::-1]]  # six paragraphs (repeats are not in order: not a copy)
    comments = [
        f"Comment number {n}: I have lived near this bridge for years and it is a mess."
        for n in range(12)
    ]
    r = Cleaner(after_extractor=True).clean(doc(*body, "Top Rated Comments", *comments))
    assert r.text == body_text(body)


def test_list_between_share_bars_is_the_article_but_a_menu_is_not(cleaner: Cleaner) -> None:
    items = [f"Round {n}: {n + 2} May – Harbour Sailing Club, Westhaven" for n in range(1, 9)]
    head = ["Sailing calendar 2024 | Example Post", "Home", "Racing", "Gear", "Events"]
    tail = [
        "Example Post is the independent weekly paper for people who race and cruise on the coast.",
        "© 2024 Example Post",
    ]
    page = doc(
        *head, "Sailing calendar 2024", "Share on Facebook", *items, "Share on Facebook", *tail
    )
    r = cleaner.clean(page)
    assert r.text == body_text(items)
    menu = [  # a trending menu between a sticky header's share bar and the article's
        "Harbour wall repairs begin",
        "New ferry timetable out",
        "Lifeboat crew honoured",
        "Beach cafe reopens",
        "Tide times this week",
        "Sailing club open day",
        "Marina fees to rise",
        "Storm warning lifted",
        "Pier lights switched on",
        "Fish market moves site",
        "Kayak hire returns soon",
        "Coast path closed again",
    ]
    page = doc(*head, "Sailing calendar 2024", "Share on Facebook", *menu, "Share on Facebook")
    r = cleaner.clean(page + doc(*MORE, *tail))
    assert MORE[0] in r.text and MORE[1] in r.text


def test_text_that_starts_with_its_body_and_names_no_furniture_reads_as_extracted(
    cleaner: Cleaner,
) -> None:
    table = ["Pos.", "Team", "Points"]
    for n in range(1, 9):
        table += [str(n), f"Club {n}", str(30 - n)]
    lines = [BODY[0], *table, BODY[1]]
    r = cleaner.clean(doc(*lines))
    assert r.mode == "light" and "named by rules" in (r.mode_reason or "")
    assert r.text == body_text(lines)  # full structure took the table for a menu
    # A menu of labels above the same body marks a full page.
    page = cleaner.clean(doc("Home", "World", "Sport", *lines))
    assert page.mode == "full" and page.mode_reason is None


def test_comments_under_a_header_below_a_one_line_post_are_cut(cleaner: Cleaner) -> None:
    caption = (
        "Six weeks and nine balls of undyed wool later, the cable scarf is done: it is "
        "long enough to wrap twice and warm enough for the walk to the station."
    )
    notes = [
        "So beautiful! I have been meaning to try cables for years and this might "
        "finally make me start.",
        "Gorgeous!",
        "Lovely colour.",
        "Wow!",
        "Want one!",
    ]
    comments = []
    for n, note in enumerate(notes * 2):
        comments += [f"Reader {n}", f"March {n + 3}, 2024 | Permalink", note]
    page = doc(
        "Home / About / Patterns", "The winter scarf is finished", caption, "10 Comments", *comments
    )
    r = cleaner.clean(page)
    assert r.text == body_text([caption])
    assert {x.by for x in r.removals if x.text.startswith("Reader")} == {"structure.comment-thread"}


def test_headline_of_a_title_with_two_parts_as_long_is_the_first_whatever_the_hash_seed(
    tmp_path: Path,
) -> None:
    # Two title parts of 22 characters each: the headline must not depend on set order.
    page = doc(
        "How Layaway Plans Work | Million Dollar Journey",
        "Million Dollar Journey",
        "Home",
        "Archives",
        "Contact",
        "How Layaway Plans Work",
        *BODY,
    )
    path = tmp_path / "page.txt"
    path.write_text(page, encoding="utf-8")
    code = (
        "import sys; from cleaner import Cleaner; "
        "text = open(sys.argv[1], encoding='utf-8').read(); "
        "print(Cleaner(after_extractor=False).clean(text).title)"
    )
    titles = set()
    for seed in range(4):
        env = {**os.environ, "PYTHONHASHSEED": str(seed)}
        run = subprocess.run(
            [sys.executable, "-c", code, str(path)], env=env, capture_output=True, text=True
        )
        titles.add(run.stdout.strip())
    assert titles == {"How Layaway Plans Work"}


def test_a_day_month_and_two_digit_year_is_a_comment_stamp() -> None:
    from cleaner.judge.threads import _is_stamp

    assert _is_stamp("Jermaine 07 Nov 12", 3)
    assert _is_stamp("Alejandro Moreno 7 Nov. 12", 4)
    assert not _is_stamp("Chapter 12 of 14", 4)
    assert not _is_stamp("Route 66 opens at 9", 5)


def test_an_emoji_after_the_stop_still_ends_a_sentence() -> None:
    from cleaner.text.features import line_features

    assert line_features("We hope to see you at the theatre again very soon! 🙂").terminal
    assert line_features("Thanks to everyone who came along tonight. 👍🏽").terminal
    assert not line_features("Best deals of the week 🔥").terminal  # no stop: a headline


def test_comments_signed_under_their_text_go_from_their_header(cleaner: Cleaner) -> None:
    """Platforms that sign a comment below it ('Posted by: Andrew | Mar 26, 2007 2:00 PM')
    leave the first comment between the header and the first stamp: it goes with them."""
    comments = []
    for n, name in enumerate(["Andrew", "Robby Russell", "Trey", "Adeleida"]):
        comments += [
            f"I just found this blog and it is an amazing read, thank you for this post {name}.",
            f"Posted by: {name} | Mar 26, 2007 2:0{n}:18 PM",
        ]
    page = cleaner.clean(doc(*BODY, *MORE, "Comments", *comments))
    assert page.text == body_text([*BODY, *MORE])
    # A post's own comment counter by its byline, a short post below: not a header.
    short = cleaner.clean(doc("3 Comments", BODY[0], *comments))
    assert BODY[0] in short.text


def test_a_comment_heading_over_the_first_comment_cuts_below_a_short_post(
    cleaner: Cleaner,
) -> None:
    """A bare "Comments" heading (it counts nothing, so it is no post's own counter)
    starts the thread below a post too short to count as an article's worth, even with
    the first comment's text between it and the first stamp (signed under)."""
    post = (
        "Run five miles, then one hundred burpees, then five miles again. Split the "
        "burpees as needed and post your time to comments."
    )
    notes = [
        "This is going to hurt but I will be out there at six in the morning.",
        "Done in 58 minutes.",
        "Thank you for the workout, the legs are gone.",
        "Brutal.",
    ]
    comments = []
    for n, note in enumerate(notes * 2):
        comments += [note, f"Comment #{n + 1} - Posted by: Reader {n} at March 3, 2024 10:15 AM"]
    lines = ["Home / Workouts / Archive", "The long Sunday workout", post, "Comments", *comments]
    r = cleaner.clean(body_text(lines))  # a paragraph a line, as a blog's dump prints it
    assert r.text == body_text([post])
    assert {x.by for x in r.removals if x.text.startswith("Comment #")} == {
        "structure.comment-thread"
    }


def test_a_follow_widget_inside_the_article_does_not_end_it(cleaner: Cleaner) -> None:
    """A promo the layout put between paragraphs ends nothing when the article's prose
    resumes below it, as long as the article above; below the last paragraph it does."""
    above = [*BODY, *MORE]
    rest = [
        "Work on the approach roads will begin first, so that traffic can be moved to a "
        "temporary crossing before the old deck is lifted out in sections next winter.",
        "The council said it would publish a timetable for each stage of the work, and "
        "that local businesses would be told of closures at least a month in advance.",
        "Ferry operators on the river have offered to run extra crossings at peak hours "
        "while the bridge is shut, and the council is talking to them about the fares.",
        "A councillor who voted against the plan said the money would have been better "
        "spent on the town's roads, many of which have not been resurfaced in years.",
        "Officials expect the new bridge to carry twice as many buses as the old one, with "
        "a separate path for cyclists on its eastern side.",
    ]
    head = [
        "Council votes to rebuild the harbour bridge | Example Post",
        *["Home", "News", "Sport", "Weather", "Opinion", "Business", "Contact"],
        "Council votes to rebuild the harbour bridge",
    ]
    inside = cleaner.clean(
        doc(*head, *above, "Follow us on Facebook", *rest, "© 2024 Example Post")
    )
    assert inside.text == body_text([*above, *rest])
    after = cleaner.clean(
        doc(*head, *above, *rest, "Follow us on Facebook", "Mayor opens the new library", "© 2024")
    )
    assert after.text == body_text([*above, *rest])
    assert {x.text: x.by for x in after.removals}["Mayor opens the new library"] == (
        "structure.after-article"
    )


def test_a_sentence_holding_a_short_line_below_it_is_no_teaser(cleaner: Cleaner) -> None:
    """The words of a short line below ("The Old Mill Hall", an address) inside the opening
    sentence do not make that sentence a teaser of a headline (a line that opens with a
    headline standing below it is one: test_teaser_repeating_headline_above_it_is_dropped)."""
    opening = (
        "I would love to invite you to our spring open day at The Old Mill Hall this coming "
        "Saturday, October 28, at eleven in the morning."
    )
    page = doc(
        "Our spring open day | Example Blog",
        *["Home", "About", "Archive", "Contact"],
        "Our spring open day",
        "Dear all,",
        opening,
        "Location:",
        "The Old Mill Hall",
        "12 Station Road",
        *BODY,
    )
    r = cleaner.clean(page)
    assert opening in r.text
    assert not [x for x in r.removals if x.by == "structure.teaser"]


COMMENTS = [
    "Jane Roe: I walk over that bridge every day and I am glad it will finally be fixed.",
    "Tom Doe: Two years of works is a long time for the shops on the harbour front, sadly.",
    "Ann Poe: Will the buses really keep running while the new deck goes in, I wonder?",
]


def test_a_lone_comments_heading_below_the_article_cuts_the_thread(cleaner: Cleaner) -> None:
    """A bare 'Comments' heading, printed once with the article above it, heads the
    reader comments: they go. Printed under each paragraph, it is a link: nothing is
    cut (the link at the edge goes, those inside the article stay)."""
    head = [
        "Council votes to rebuild the harbour bridge | Example Post",
        *["Home", "News", "Sport", "Weather", "Opinion", "Business", "Contact"],
        "Council votes to rebuild the harbour bridge",
    ]
    r = cleaner.clean(doc(*head, *BODY, *MORE, "Comments", *COMMENTS))
    assert r.text == body_text([*BODY, *MORE])
    assert {x.text: x.by for x in r.removals}[COMMENTS[0]] == "comments.comments-heading"
    linked = [*BODY[:2], "Comments", BODY[2], "Comments", *MORE]
    r = cleaner.clean(doc(*head, *linked, "Comments"))
    assert all(line in r.text for line in [*BODY, *MORE])  # no cut: the article stays
    assert r.text.rstrip().endswith(MORE[-1])  # the last link, at the edge, goes
    assert any("printed 3 times" in v.reason for v in r.vetoes)


def test_a_post_pager_below_the_post_cuts_the_sidebar(cleaner: Cleaner) -> None:
    head = [
        "Council votes to rebuild the harbour bridge | Example Blog",
        *["Home", "News", "Sport", "Weather", "Opinion", "Business", "Contact"],
        "Council votes to rebuild the harbour bridge",
    ]
    sidebar = ["Previous Post Ten walks along the estuary", "Next Post The ferry timetable"]
    sidebar += ["Weekend Picks", "Knitting for Beginners", "Garden Notes", "View All"]
    r = cleaner.clean(doc(*head, *BODY, *MORE, *sidebar))
    assert r.text == body_text([*BODY, *MORE])
    assert {x.text: x.by for x in r.removals}[
        "Knitting for Beginners"
    ] == "navigation.post-pager-cut"


def test_a_list_of_other_stories_headlines_between_menus_above_the_article_goes(
    cleaner: Cleaner,
) -> None:
    """Three or more headline-shaped lines between junk in the head are a list of other
    stories; the article's own headline below them stays the title."""
    others = [
        "Storm damages the old pier as residents and volunteers clear up the seafront "
        "after the weekend",
        "New cafe opens in the old railway station building that stood empty for nearly "
        "twenty years",
        "School choir wins a regional singing prize for the third year running under its "
        "new conductor",
    ]
    head = ["Bridge vote | The Example Gazette", "Skip to content", "Home", "News"]
    title = "Council votes to rebuild the harbour bridge"
    r = cleaner.clean(doc(*head, *others, "Advertisement", title, *BODY))
    assert r.text == body_text(BODY)
    assert r.title == title
    by = {x.text: x.by for x in r.removals}
    assert {by[line] for line in others} == {"structure.head-run"}


def test_a_long_menu_below_the_article_goes_with_no_junk_beside_it(cleaner: Cleaner) -> None:
    """Ten or more labels of a few words in a row (a blogroll) are furniture even where no
    removed line touches them; an exclamation below them stopped the spreading from the
    page's end."""
    labels = ["Aisle Notes", "Bayside Bride", "Cake Stand", "Daisy Chain", "Early Bloom"]
    labels += ["Fern and Moss", "Garden Gate", "Hedge Row", "Ivy Lane", "June Brides"]
    r = cleaner.clean(doc(*BODY, "Blogs we read", *labels, "Hip Hip Hooray!"))
    assert r.text.startswith(body_text(BODY))
    removed = [x for x in r.removals if x.text in labels]
    assert len(removed) == len(labels)
    assert {x.detail for x in removed} == {"a long menu"}


def test_a_short_list_of_labels_below_the_article_is_not_a_long_menu(cleaner: Cleaner) -> None:
    labels = ["Aisle Notes", "Bayside Bride", "Cake Stand", "Daisy Chain", "Early Bloom"]
    r = cleaner.clean(doc(*BODY, "Blogs we read", *labels, "Hip Hip Hooray!"))
    assert not [x for x in r.removals if x.text in labels and x.detail == "a long menu"]


def test_a_thread_whose_comments_give_times_is_still_a_thread(cleaner: Cleaner) -> None:
    """Readers posting their times ("48:12 as prescribed") put a clock in many comments:
    those are stamps of other shapes between the comment stamps, and gaps with prose in
    them do not make the thread a dated list when its stamps give the hour."""
    names = ["Matt", "Kurt", "Andrew", "Drew", "Pablo", "Aaron", "Derek", "Harry", "Will"]
    comments = []
    for n, name in enumerate(names, start=1):
        text = (
            f"{40 + n}:{10 + n} as prescribed, legs are done."
            if n % 2
            else "Great workout today, thanks to the coaches for the help."
        )
        comments += [text, f"Comment #{n} - Posted by: {name} at November 10, 2012 5:{10 + n} PM"]
    r = cleaner.clean(doc(*BODY, *MORE, *comments))
    assert r.text == body_text([*BODY, *MORE])
    assert {x.by for x in r.removals} == {"structure.comment-thread"}


def test_comments_under_a_platforms_furniture_are_a_thread_when_stamps_give_the_hour(
    cleaner: Cleaner,
) -> None:
    """Ten lines a comment (quote box, abuse link, the commenter's counts) is wider than a
    thread's usual spacing; stamps that say the hour still make it a thread. Dated lines
    as far apart without an hour (embedded posts in an article) are left alone."""

    def block(n: int, stamp: str) -> list[str]:
        return [
            stamp,
            "Report Abuse | QUOTE",
            "I think the bridge should have been rebuilt years ago, frankly.",
            "The council has wasted enough time on studies and consultations.",
            str(n),
            f"Reader{n}",
            "Riverside, MA",
            f"Total Comments ({n * 17})",
            "Reply",
            "Share",
        ]

    comments = [line for n in range(1, 6) for line in block(n, f"November 12, 2012 11:{n}3 AM ET")]
    r = cleaner.clean(doc(*BODY, *MORE, *comments))
    assert r.text == body_text([*BODY, *MORE])
    assert "structure.comment-thread" in {x.by for x in r.removals}
    dated = [line for n in range(1, 6) for line in block(n, f"November {n + 10}, 2012")]
    r = cleaner.clean(doc(*BODY, *MORE, *dated))
    assert "structure.comment-thread" not in {x.by for x in r.removals}
