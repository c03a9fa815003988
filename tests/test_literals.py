"""Required literals: what every match of a pattern contains, never more than that."""

from __future__ import annotations

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Cleaner
from cleaner.ruleset.literals import DIGIT, required_literals
from cleaner.ruleset.patterns import REGEX_FLAGS


def test_alternatives_multiply_out_with_their_neighbours() -> None:
    assert required_literals(r"(?:share|tweet) this") == {"share this", "tweet this"}
    assert required_literals(r"comments?") == {"comment", "comments"}


def test_the_most_selective_part_of_a_sequence_is_chosen() -> None:
    assert required_literals(r"\W{0,2}posted in [\w ]{1,40}") == {"posted in "}


def test_case_is_folded() -> None:
    assert required_literals(r"Leave a Reply") == {"leave a reply"}


def test_a_pattern_without_a_usable_literal_has_none() -> None:
    assert required_literals(r"[\w ]{1,40}") is None
    assert required_literals(r"(?:a|b) \w+") is None  # one-letter literals pick every line
    assert required_literals(r"\p{Lu}\p{L}+") is None


def test_digits_stand_in_when_every_branch_needs_one() -> None:
    assert required_literals(r"(?:jan|feb) \d{1,2}|\d{1,2}/\d{1,2}") == {DIGIT}


def test_an_overflowing_product_does_not_claim_to_be_exact() -> None:
    # 7 x 19 alternatives overflow the product: the last run alone must not be taken for
    # the group's exact strings, or "qqteilen" would be required of "qqauf net3 teilen".
    nets = "|".join(["facebook", "mail"] + [f"net{i}" for i in range(17)])
    pattern = rf"qq(?:(?:auf|in|bei|per|mit|via|um) (?:{nets}) (?:teilen|posten)|zzzz)"
    need = required_literals(pattern)
    assert need is not None
    assert any(lit in "qqauf net3 teilen" for lit in need)


def test_every_rule_example_contains_its_rules_literals(cleaner: Cleaner) -> None:
    from cleaner.ruleset.checks import _line

    for rule in cleaner.ruleset.rules:
        for pattern in (rule.regex, rule.span):
            need = required_literals(pattern) if pattern else None
            if need is None:
                continue
            compiled = regex.compile(pattern, REGEX_FLAGS)
            for example in rule.junk + rule.keep:
                line = _line(example)
                if compiled.search(line):
                    folded = line.casefold()
                    found = any(lit in folded for lit in need if lit != DIGIT)
                    digit = DIGIT in need and regex.search(r"\d", line) is not None
                    assert found or digit, (rule.id, line)


PATTERNS = [
    r"(?:read|see) (?:more|also)(?: on \w+)?",
    r"\d{1,2} (?:min|hrs?) ago",
    r"(?:photo|image)s?(?: credit)?: .{1,40}",
    r"[|·•] ?(?:sponsored|ad)",
    r"(?:by|from) (?:staff|wire)s? reports?",
]


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(PATTERNS), st.data())
def test_generated_matches_contain_a_literal(pattern: str, data: st.DataObject) -> None:
    text = data.draw(st.from_regex(regex.sub(r"\\d", "[0-9]", pattern), fullmatch=True))
    need = required_literals(pattern)
    assert need is not None
    folded = text.casefold()
    assert any(lit in folded for lit in need if lit != DIGIT) or (
        DIGIT in need and any(c.isdigit() for c in text)
    )


def test_white_space_reads_as_the_one_space_normalized_lines_keep() -> None:
    from cleaner.text.normalize import split_lines

    assert required_literals(r"by:?\s\w+") == {"by ", "by: "}
    assert split_lines("by\u2028Jane\x85Doe\u2029x") == ["by Jane Doe x"]


def test_a_lookahead_needs_its_literals_a_negative_one_nothing() -> None:
    assert required_literals(r"^(?=.{0,300}\bfollow (?:him|her)\b).{10,300}") == {
        "follow him",
        "follow her",
    }
    assert required_literals(r"(?!share)\w+") is None


def test_max_width_bounds_whole_line_patterns() -> None:
    from cleaner.ruleset.literals import max_width

    assert max_width(r"[\-•·▪◦]") == 1
    assert max_width(r"\p{L}{1,3}") == 3
    assert max_width(r"\w+") is None


def test_a_property_class_inside_brackets_is_no_literal() -> None:
    # Found by the fuzzer: \p{L} read as "." made [\p{L}.] a set of literal dots.
    assert required_literals(r"[\p{L}\p{N}.'’()\- ]{1,60} (?:said|wrote)") == {" said", " wrote"}
    assert required_literals(r"[\p{L}.]{3}") is None


def test_fuzzy_matching_gets_no_prefilter() -> None:
    # Found by the fuzzer: ",{s}" is `regex`'s fuzzy syntax and matches any one character.
    assert required_literals(r"abc,{s}") is None
    assert required_literals(r"(?:share this){e<=1}") is None


def test_a_named_property_is_not_read_as_fuzzy_matching() -> None:
    # \p{Hiragana} holds an "i" in braces, as {i<=1} does: it cost every Japanese pattern
    # its prefilter, so they ran on every line of every page.
    assert required_literals(r"著作権は\p{Hiragana}{1,4}") == {"著作権は"}
    assert required_literals(r"abc\N{BULLET}") == {"abc•"}
    assert required_literals(r"\\p{e<=1}abc") is None  # an escaped backslash: fuzzy p


def test_a_literal_in_an_unspaced_script_is_selective_however_short() -> None:
    # Two Han characters are a word: as rare in English text as "©" is.
    assert required_literals(r"\W{0,2}(?:扫码|分享)\W{0,2}") == {"扫码", "分享"}
    assert required_literals(r"(?:文|写真)\s?[:：]") is not None
    assert required_literals(r"(?:of|to)\s?\w") is None  # short Latin ones still are not


def test_whole_line_prefixes_multiply_out_from_the_start() -> None:
    from cleaner.ruleset.literals import required_prefixes

    assert required_prefixes(r"(?:share )?(?:x|vk)(?: \w+)+") == (
        ("share vk ", "share x ", "vk ", "x "),
        False,
        False,
    )
    assert required_prefixes(r"^(?=x)ab|cd") == (("ab", "cd"), False, False)
    assert required_prefixes(r"\W{0,2}(?:di|da) \w+") == (("da ", "di "), True, False)
    assert required_prefixes(r"(?:ab)+c") == (("ab",), False, False)
    assert required_prefixes(r"A?b") == (("ab", "b"), False, False)
    # "A digit" ends a start; a start that follows it is not known.
    assert required_prefixes(r"(?:\d+|ab)c") == (("ab",), False, True)
    assert required_prefixes(r"\W?[0-9]{2} min") == ((), True, True)


def test_an_optional_element_starts_a_match_or_lets_the_next_start_it() -> None:
    from cleaner.ruleset.literals import required_prefixes

    # Too many strings to multiply out, each optional: their own starts, or the next's.
    assert required_prefixes(r"(?:x\w+ )?(?:ab|cd)") == (("ab", "cd", "x"), False, False)
    assert required_prefixes(r"\W?(?:on\w* )?(?:\d+ jan|today)") == (
        ("on", "today"),
        True,
        True,
    )
    # An exact optional start before a digit: the digit or the strings before it.
    assert required_prefixes(r"(?:mon, )?\d+") == (("mon, ",), False, True)
    # Past MAX_PREFIXES the starts are cut short ("z" of "zz"), never dropped.
    many = "".join(f"(?:{'|'.join(chr(97 + 8 * k + j) for j in range(8))})" for k in range(3))
    starts = required_prefixes(f"(?:{many})?zz")
    assert starts is not None and starts.strings[-1] == "z" and len(starts.strings) == 8**3 + 1
    # The one-element start is unknown when what follows could be anything.
    assert required_prefixes(r"(?:x\w+ )?\w+") is None


def test_prefixes_that_others_start_are_left_out() -> None:
    from cleaner.ruleset.literals import required_prefixes

    assert required_prefixes(r"(?:ab|abc|b)d?") == (("ab", "b"), False, False)


def test_a_start_that_could_be_empty_or_unknown_is_no_prefix() -> None:
    from cleaner.ruleset.literals import required_prefixes

    assert required_prefixes(r"x?\w+") is None  # may start with any word character
    assert required_prefixes(r"(?:a|\w)b") is None
    # After \W{0,n} a start must be a word character, or the \W run could stop early.
    assert required_prefixes(r"\W?(?:-x|ab)") is None


PREFIX_PATTERNS = [
    r"(?:share\s?:?\s)?(?:facebook|x|vk|e-mail)(?:\s?[|·•]?\s?(?:facebook|x|vk)){1,3}",
    r"\W{0,2}(?:di|scritto da) (?-i:\p{Lu}\p{L}{0,10})",
    r"(?:posted |added )?(?:on )?(?:jan|feb)\.? \d{1,2}",
    r"[\-•·▪◦]",
    r"^(?:Über|ÉTÉ|straße)\W{0,3}\w{1,5}",
    r"\W{0,2}(?:\d{1,2} (?:jan|feb)|(?:mon|tue)day,? \d{1,2})",
    r"\W{0,2}(?:(?:posted|updated)\s?:?\s?)?(?:(?:mon|tue)\.?,? )?(?:\d{1,2} jan|today|yesterday)",
    r"(?:(?:a|b|c|d|e|f|g|h)(?:i|j|k|l|m|n|o|p)(?:q|r|s|t|u|v|w|x)(?:1|2|3|4|5|6|7|8)?)?zz\w",
]


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(PREFIX_PATTERNS), st.data())
def test_generated_whole_line_matches_start_with_a_prefix(
    pattern: str, data: st.DataObject
) -> None:
    from cleaner.ruleset.gates import gate_of
    from cleaner.ruleset.literals import required_prefixes

    plain = pattern.replace(r"\p{Lu}", "[A-ZÉ]").replace(r"\p{L}", "[a-zß]")
    text = data.draw(st.from_regex(plain.replace(r"\d", "[0-9]"), fullmatch=True))
    line = " ".join(text.split())
    compiled = regex.compile(pattern, REGEX_FLAGS)
    if not line or compiled.fullmatch(line) is None:
        return
    assert required_prefixes(pattern) is not None
    gate = gate_of(pattern)
    assert gate is not None
    assert gate.admits(line), (pattern, line)


def test_the_generated_patterns_all_have_prefixes() -> None:
    from cleaner.ruleset.literals import required_prefixes

    assert all(required_prefixes(p) is not None for p in PREFIX_PATTERNS)


def test_needs_digit_holds_for_every_branch_or_none() -> None:
    from cleaner.ruleset.literals import needs_digit

    assert needs_digit(r"(?:posted )?(?:jan|feb) \d{1,2}")
    assert needs_digit(r"(?:\d+ likes|[0-9] views)")
    assert not needs_digit(r"(?:\d+ likes|no likes)")
    assert not needs_digit(r"(?:jan|feb)(?: \d{1,2})?")
    assert not needs_digit(r"(?!\d)\w+ views")


def test_every_rule_example_passes_its_rules_gate(cleaner: Cleaner) -> None:
    from cleaner.ruleset.checks import _line
    from cleaner.ruleset.gates import gate_of

    gated = 0
    for rule in cleaner.ruleset.rules:
        gate = gate_of(rule.regex) if rule.regex else None
        if gate is None:
            continue
        gated += 1
        compiled = regex.compile(rule.regex, REGEX_FLAGS)
        for example in rule.junk + rule.keep:
            line = _line(example)
            if compiled.fullmatch(line):
                assert gate.admits(line), (rule.id, line)
    assert gated > 50
