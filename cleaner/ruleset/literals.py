r"""What text a pattern needs: the literal strings one of which every match contains.

Lines reach the matcher normalized (`normalize.py`): a single plain space is the only
white space left in them, so `\s` is read as " " here.

A rule pattern is only worth running on a line that contains one of its required
literals, so one Aho-Corasick scan of the line picks the few patterns to try out of
hundreds. The analysis is conservative: a pattern it cannot read (or whose literals are
too short to be selective) gets `None` and is tried on every line, so a prefilter built
from it never hides a match.
"""

from __future__ import annotations

import functools
import itertools
import warnings
from typing import NamedTuple

import regex

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    try:
        from re import _constants as _c  # type: ignore[attr-defined]
        from re import _parser as _p  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - older layouts
        import sre_constants as _c  # type: ignore[no-redef]
        import sre_parse as _p  # type: ignore[no-redef]

# A required literal shorter than this picks too many lines to be worth a scan,
# unless it holds a character that prose rarely uses.
MIN_LITERAL_CHARS = 3
RARE_CHARS = frozenset("[]{}|#@%<>=~^*_\\©®™•»«·ⓒ")
# Characters of scripts written without spaces (Han, kana, Hangul, Thai, and full-width
# forms) are rare in text of every other script: one of them makes a literal selective,
# so patterns for those languages are not tried on every line of the rest.
_UNSPACED_SCRIPT = regex.compile(
    r"[\u0E00-\u0E7F\u1100-\u11FF\u3000-\u30FF\u3400-\u4DBF\u4E00-\u9FFF"
    r"\uAC00-\uD7AF\uF900-\uFAFF\uFF00-\uFFEF]"
)
# A character class of at most this many plain characters counts as their alternation.
MAX_CLASS_CHARS = 8
# Stands for "some decimal digit" in a need: a pattern needing \d runs only on lines
# with a digit. It never enters the automaton (see `matching.py`).
DIGIT = "\x00digit"
# Exact alternatives are multiplied out (comment(?:s|aires)?) up to this many strings.
MAX_EXACT_STRINGS = 64
# A whole-line pattern's possible starts are multiplied out up to this many strings.
MAX_PREFIXES = 512

# `regex` syntax the stdlib parser does not read, mapped to something it does that
# holds no literal, inside a character class as outside: \p{L} becomes \w here (a
# "." would turn into a literal dot inside [...]).
_PROPERTY = regex.compile(r"\\[pP]\{[^}]*\}|\\[pP][A-Za-z]")

# `regex`'s fuzzy constraints ("x{e<=1}", ",{s}"): braces holding e, i, d or s. Read
# broadly (a literal "{desc}" counts too): such a pattern just runs on every line.
_FUZZY = regex.compile(r"(?<!\\)\{[^{}]*[eidsEIDS][^{}]*\}")
# Named properties and characters (\p{Hiragana}, \N{BULLET}) hold letters in braces
# too: they are taken out before that test, unless their backslash is itself escaped.
_NAMED_ESCAPE = regex.compile(r"(?<!\\)((?:\\\\)*)\\[pPN]\{[^{}]*\}")

_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT}
if hasattr(_c, "POSSESSIVE_REPEAT"):
    _REPEATS.add(_c.POSSESSIVE_REPEAT)


class _Piece:
    """One parsed element: its exact strings if it is pure literal, else what it needs."""

    __slots__ = ("digit", "exact", "need")

    def __init__(
        self, exact: frozenset[str] | None, need: frozenset[str] | None, digit: bool = False
    ) -> None:
        self.exact = exact  # every string the element can match, when finite and literal
        self.need = need  # a set one of which every match contains, or None
        self.digit = digit or need == {DIGIT}  # every match contains a digit


def required_literals(pattern: str) -> frozenset[str] | None:
    """Case-folded strings one of which every match of `pattern` contains, or None."""
    piece = _analyse(pattern)
    need = piece.need if piece is not None else None
    if need is None or not all(_selective(s) for s in need):
        return None
    return frozenset(s if s == DIGIT else s.casefold() for s in need)


class Starts(NamedTuple):
    """How every line a whole-line pattern matches starts (see `required_prefixes`)."""

    strings: tuple[str, ...]  # case-folded: the line starts with one of them ...
    after_nonword: bool  # ... once its leading non-word characters are skipped
    digit: bool  # or it starts with a decimal digit there


def required_prefixes(pattern: str) -> Starts | None:
    """For a whole-line (fullmatch) pattern: how every line it matches starts. None if a
    match may start with anything."""
    parsed = _literal_reading(pattern)
    if parsed is None:
        return None
    items = list(parsed)  # type: ignore[call-overload]
    after_nonword = bool(items) and _is_nonword_run(*items[0])
    found = _prefixes(items[1:] if after_nonword else items)
    if not found or "" in found:
        return None
    strings = found - {DIGIT}
    # After `\W{0,n}` every start must be a word character, else the \W run could end
    # inside the line's leading non-word characters. (Digits are word characters.)
    if after_nonword and not all(_WORD_START.match(s) for s in strings):
        return None
    return Starts(_shortest({s.casefold() for s in strings}), after_nonword, DIGIT in found)


def _shortest(strings: set[str]) -> tuple[str, ...]:
    """The strings none of the others starts: a line starts with one of them exactly when
    it starts with one of all, and the gate tries fewer."""
    kept: list[str] = []
    for s in sorted(strings):  # a string sorts right after its prefixes
        if not kept or not s.startswith(kept[-1]):
            kept.append(s)
    return tuple(kept)


_WORD_START = regex.compile(r"\w", regex.V0)


def _is_nonword_run(op: object, av: object) -> bool:
    """`\\W{0,n}`, `\\W*` or `\\W?`: an optional run of non-word characters."""
    if op not in _REPEATS:
        return False
    lo, _hi, sub = av  # type: ignore[misc]
    return lo == 0 and list(sub) == [(_c.IN, [(_c.CATEGORY, _c.CATEGORY_NOT_WORD)])]


def _prefixes(items: list) -> frozenset[str] | None:
    """Strings one of which every match of a sequence starts with ("" among them: any)."""
    run: frozenset[str] = frozenset({""})
    for k, (op, av) in enumerate(items):
        if op is _c.AT or op in (_c.ASSERT, _c.ASSERT_NOT):
            continue  # zero width: the run goes on after it
        piece = _element(op, av)
        heads = piece.exact if piece.exact is not None else _element_prefixes(op, av)
        if heads is None and op in _REPEATS and av[0] == 0:  # type: ignore[index]
            heads = _optional_prefixes(list(av[2]), items[k + 1 :])  # type: ignore[index]
        if heads is None:
            return run
        if DIGIT in heads:  # "a digit" ends a start: nothing can follow it
            return frozenset(r or h for r in run for h in heads)  # r: started already
        product = frozenset(a + b for a, b in itertools.product(run, heads))
        if len(product) > MAX_PREFIXES:
            first = _first_heads(items[k:]) if "" in run else None
            return run if first is None else (run - {""}) | first
        if piece.exact is None:
            return product  # only an exact element lets the run go on past it
        run = product
    return run


def _first_heads(items: list) -> frozenset[str] | None:
    """How a match of a sequence starts, one element deep: the first element's starts,
    and the next element's where it may match nothing. None if unknown. (Short, where
    multiplying out the whole start would pass MAX_PREFIXES.)"""
    for k, (op, av) in enumerate(items):
        if op is _c.AT or op in (_c.ASSERT, _c.ASSERT_NOT):
            continue
        piece = _element(op, av)
        if piece.exact is not None:
            heads = piece.exact
        elif op in _REPEATS and av[0] == 0:  # type: ignore[index]
            own = _prefixes(list(av[2]))  # type: ignore[index]
            if not own or "" in own:
                return None
            heads = own | {""}
        else:
            heads = _element_prefixes(op, av)  # type: ignore[assignment]
            if heads is None or "" in heads:
                return None
        if "" not in heads:
            return heads
        rest = _first_heads(items[k + 1 :])
        return None if rest is None else (heads - {""}) | rest
    return None  # the whole sequence may match nothing


def _optional_prefixes(body: list, rest: list) -> frozenset[str] | None:
    """How a match starts at an optional element (`(?:posted on )?`, too many strings to
    multiply out): as the element does, or as what follows it does. None if unknown."""
    own, after = _prefixes(body), _prefixes(rest)
    if not own or not after or "" in own or "" in after:
        return None
    return own | after


def _element_prefixes(op: object, av: object) -> frozenset[str] | None:
    if op is _c.SUBPATTERN:
        return _prefixes(list(av[-1]))  # type: ignore[index]
    if hasattr(_c, "ATOMIC_GROUP") and op is _c.ATOMIC_GROUP:
        return _prefixes(list(av))  # type: ignore[arg-type]
    if op is _c.BRANCH:
        alts = [_prefixes(list(a)) for a in av[1]]  # type: ignore[index]
        if any(a is None for a in alts):
            return None
        return frozenset().union(*alts)  # type: ignore[arg-type]
    if op in _REPEATS and av[0] >= 1:  # type: ignore[index]
        return _prefixes(list(av[2]))  # type: ignore[index]
    if op is _c.IN and _char_class(av).need == {DIGIT}:  # type: ignore[arg-type]
        return frozenset({DIGIT})
    return None


def needs_digit(pattern: str) -> bool:
    """Whether every match of `pattern` holds a decimal digit (`\\d` or `[0-9]`)."""
    piece = _analyse(pattern)
    return piece is not None and piece.digit


@functools.lru_cache(maxsize=1024)
def _analyse(pattern: str) -> _Piece | None:
    parsed = _literal_reading(pattern)
    return _sequence(list(parsed)) if parsed is not None else None  # type: ignore[call-overload]


def _literal_reading(pattern: str) -> object | None:
    """The parsed pattern, for analyses of the text a match holds; None for a fuzzy one,
    since fuzzy matching lets a match differ from every literal."""
    return None if _FUZZY.search(_NAMED_ESCAPE.sub(r"\1", pattern)) else _parsed(pattern)


@functools.lru_cache(maxsize=1024)
def _parsed(pattern: str) -> object | None:
    """The stdlib parser's reading of `pattern` (read once however often analysed), or
    None for syntax it does not know: such a pattern gets no prefilter."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _p.parse(_PROPERTY.sub(r"\\w", pattern), 0)
    except Exception:
        return None


def max_width(pattern: str) -> int | None:
    """The most characters a match of `pattern` can span, or None if unbounded or unknown."""
    parsed = _parsed(pattern)
    if parsed is None:
        return None
    try:
        width = parsed.getwidth()[1]  # type: ignore[attr-defined]
    except Exception:
        return None
    return width if width < _c.MAXREPEAT else None


def repeat_weight(pattern: str) -> int | None:
    """The largest product of counted-repeat bounds along one nesting path: what
    compiling `pattern` may unroll ((?:a{1000}){1000} weighs a million). None if the
    stdlib cannot read it."""
    parsed = _parsed(pattern)
    return _weight_of(list(parsed)) if parsed is not None else None  # type: ignore[call-overload]


def _weight_of(items: list) -> int:
    best = 1
    for op, av in items:
        if op in _REPEATS:
            lo, hi, sub = av
            bound = lo if hi == _c.MAXREPEAT else hi
            best = max(best, max(bound, 1) * _weight_of(list(sub)))
        elif op is _c.SUBPATTERN:
            best = max(best, _weight_of(list(av[-1])))
        elif op is _c.BRANCH:
            best = max([best] + [_weight_of(list(a)) for a in av[1]])
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            best = max(best, _weight_of(list(av[1])))
        elif hasattr(_c, "ATOMIC_GROUP") and op is _c.ATOMIC_GROUP:
            best = max(best, _weight_of(list(av)))
    return best


def _selective(literal: str) -> bool:
    return (
        literal == DIGIT
        or len(literal) >= MIN_LITERAL_CHARS
        or any(c in RARE_CHARS for c in literal)
        or _UNSPACED_SCRIPT.search(literal) is not None
    )


def _sequence(items: list) -> _Piece:
    """A concatenation: exact neighbours multiplied out, then the most selective need."""
    pieces = [_element(op, av) for op, av in items]
    candidates: list[frozenset[str]] = []
    run: frozenset[str] = frozenset({""})
    whole = True  # the run so far covers every piece: it is the sequence's exact set
    for piece in pieces:
        if piece.exact is not None:
            product = {a + b for a, b in itertools.product(run, piece.exact)}
            if len(product) <= MAX_EXACT_STRINGS:
                run = frozenset(product)
                continue
        whole = False
        candidates.append(run)
        if piece.need is not None:
            candidates.append(piece.need)
        run = piece.exact if piece.exact is not None else frozenset({""})
    candidates.append(run)
    digit = any(p.digit for p in pieces)
    return _Piece(run if whole else None, _best(candidates), digit=digit)


def _element(op: object, av: object) -> _Piece:
    if op is _c.LITERAL:
        s = frozenset({chr(av)})  # type: ignore[arg-type]
        return _Piece(s, s)
    if op is _c.IN:
        return _char_class(av)  # type: ignore[arg-type]
    if op is _c.ASSERT and av[0] == 1:  # type: ignore[index]
        # A lookahead holds within the line too: what it needs, the line contains.
        return _Piece(None, _sequence(list(av[1])).need)  # type: ignore[index]
    if op is _c.SUBPATTERN:
        return _sequence(list(av[-1]))  # type: ignore[index]
    if op is _c.ATOMIC_GROUP if hasattr(_c, "ATOMIC_GROUP") else False:
        return _sequence(list(av))  # type: ignore[arg-type]
    if op is _c.BRANCH:
        alts = [_sequence(list(a)) for a in av[1]]  # type: ignore[index]
        exact = None
        if all(a.exact is not None for a in alts):
            union = frozenset().union(*(a.exact for a in alts))  # type: ignore[misc]
            exact = union if len(union) <= MAX_EXACT_STRINGS else None
        need = None
        if all(a.need is not None for a in alts):
            need = frozenset().union(*(a.need for a in alts))  # type: ignore[misc]
            if DIGIT in need and all(a.digit for a in alts):
                need = frozenset({DIGIT})  # every branch needs a digit: that alone is tighter
        return _Piece(exact, need, digit=all(a.digit for a in alts))
    if op in _REPEATS:
        lo, hi, sub = av  # type: ignore[misc]
        inner = _sequence(list(sub))
        if lo == 0 and hi == 1 and inner.exact is not None:
            return _Piece(inner.exact | {""}, None)
        if lo == 1 and hi == 1:
            return inner
        if lo == 0:
            return _Piece(None, None)
        return _Piece(None, inner.need, digit=inner.digit)
    return _Piece(None, None)


def _char_class(items: list) -> _Piece:
    """[abc] as the alternation a|b|c; [0-9] or \\d as "a digit"; anything else: nothing."""
    space = (_c.CATEGORY, _c.CATEGORY_SPACE)
    if (
        items
        and len(items) <= MAX_CLASS_CHARS
        and all(op is _c.LITERAL or (op, av) == space for op, av in items)
    ):
        chars = frozenset(" " if (op, av) == space else chr(av) for op, av in items)
        return _Piece(chars, chars)
    digit = [(_c.CATEGORY, _c.CATEGORY_DIGIT)]
    if items == digit or items == [(_c.RANGE, (ord("0"), ord("9")))]:
        return _Piece(None, frozenset({DIGIT}))
    return _Piece(None, None)


def _best(candidates: list[frozenset[str]]) -> frozenset[str] | None:
    """The most selective need: the longest shortest string, then the fewest strings."""
    usable = [c for c in candidates if c and min(len(s) for s in c) > 0]
    if not usable:
        return None
    return max(usable, key=lambda c: (all(map(_selective, c)), min(map(_weight, c)), -len(c)))


def _weight(literal: str) -> float:
    """How selective a literal is: its length; "a digit" counts as less than any one
    character (most lines of news hold a digit: ©, 年 or "(c)" picks far fewer)."""
    return 0.5 if literal == DIGIT else len(literal)
