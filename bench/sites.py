#!/usr/bin/env python3
"""Measure site profiles: F1 with and without `--learn` on a generated multi-page corpus,
the time of profiling per MB, and that `--learn` costs nothing where nothing repeats.

    python bench/sites.py                  # both sections
    python bench/sites.py --only corpus    # the generated corpus only
    python bench/sites.py --pages 80 --write /tmp/corpus   # bigger; keep the corpus

The corpus: SITES sites, --pages pages each, every page a full-page text dump with its
site's own menus, taglines, promos, "About us" blurbs, related-story boxes and footers
around a different article. Articles are built from sentence templates and word lists
below (deterministic for a --seed); one wire story runs on every site, so sites share
whole paragraphs. The truth of a page is its article body, without the headline.

Scores are the article benchmark's (`../shared/tools/bench_score.py`: 4-word shingle F1,
precision and recall averaged over pages) when it is there, else the same metric here.
The `dumps` section profiles the 181 pages of `../shared/bench/articles/dumps` with their
URLs (`urls.tsv`) and cleans them with and without that profile.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaner import Cleaner  # noqa: E402
from cleaner.judge.sites import SITE_REPEAT  # noqa: E402
from cleaner.run.profile import build_profile  # noqa: E402

SHARED = ROOT.parent / "shared"
BENCH = SHARED / "bench" / "articles"

# ---- scoring -------------------------------------------------------------------------

_WORD = re.compile(r"\w+", re.UNICODE)


def _own_score(pairs: dict[str, tuple[str, str]]) -> dict:
    """bench_score.py's metric: 4-word shingles, P and R averaged over pages."""

    def shingles(text: str) -> Counter:
        toks = _WORD.findall(text or "")
        if len(toks) < 4:
            return Counter([tuple(toks)]) if toks else Counter()
        return Counter(tuple(toks[i : i + 4]) for i in range(len(toks) - 3))

    ps, rs = [], []
    for truth, got in pairs.values():
        t, g = shingles(truth), shingles(got)
        tp, fp, fn = sum((t & g).values()), sum((g - t).values()), sum((t - g).values())
        if fp == 0 and fn == 0:
            ps.append(1.0)
            rs.append(1.0)
            continue
        if tp + fp:
            ps.append(tp / (tp + fp))
        if tp + fn:
            rs.append(tp / (tp + fn))
    p = sum(ps) / len(ps) if ps else 0.0
    r = sum(rs) / len(rs) if rs else 0.0
    return {"f1": 2 * p * r / (p + r) if p + r else 0.0, "precision": p, "recall": r}


def scorer():
    """The shared benchmark's score function, or the same metric written here."""
    path = SHARED / "tools" / "bench_score.py"
    if path.exists():
        spec = importlib.util.spec_from_file_location("bench_score", path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        return mod.score, "bench_score.py"
    return _own_score, "own 4-word shingle F1"


# ---- the corpus ----------------------------------------------------------------------

PEOPLE = [
    "Maria Okafor",
    "Dev Raman",
    "Helen Brandt",
    "Tomasz Nowak",
    "Aisha Kamara",
    "Graham Pike",
    "Lucia Ferreira",
    "Owen Mathers",
    "Sunita Rao",
    "Felix Adeyemi",
    "Clara Holm",
    "Jonah Weiss",
    "Patrice Dubois",
    "Rosa Iglesias",
    "Kenji Mori",
]
ROLES = [
    "council leader",
    "head teacher",
    "planning officer",
    "union representative",
    "hospital director",
    "chair of the residents' association",
    "county engineer",
    "police superintendent",
    "museum curator",
    "harbour master",
    "parish clerk",
]
PLACES = [
    "Ashby Vale",
    "Kirkholme",
    "Port Ellery",
    "Brackenridge",
    "Sallow Cross",
    "Millbrook",
    "Harwick",
    "Dunmere",
    "Oldcastle Green",
    "Riverside",
    "Tallis Bay",
]
PROJECTS = [
    "the new library",
    "the flood barrier",
    "the bypass",
    "the school extension",
    "the community energy scheme",
    "the harbour wall repairs",
    "the bus depot",
    "the swimming pool",
    "the cycle network",
    "the market hall",
    "the care home",
]
ISSUES = [
    "parking on narrow streets",
    "rising rents",
    "late-night noise",
    "the loss of a bus route",
    "potholes",
    "a shortage of GP appointments",
    "speeding lorries",
    "litter in the park",
]
SENTENCES = [
    "{p}, the {r} in {pl}, said {proj} would cost about £{m} million and take {n} months.",
    "Work on {proj} is expected to begin in the spring if the final vote goes ahead.",
    "Residents of {pl} have raised concerns about {i}, according to a petition signed by "
    "{n}00 people.",
    "“We have waited a long time for this, and we intend to get it right,” {p} said.",
    "The plans were first put forward {n} years ago but stalled when funding fell through.",
    "A public meeting at the village hall on Thursday drew more than {n}0 people.",
    "Critics say the money would be better spent on {i}, which they call the town's most "
    "pressing problem.",
    "The {r} said a decision was likely before the end of the month.",
    "Figures published last week show the number of complaints about {i} has doubled.",
    "{p} told the meeting that {proj} had already been redesigned twice to cut costs.",
    "Shops on the high street in {pl} say trade has fallen by a fifth since the works began.",
    "Under the proposals, {proj} would open seven days a week from early next year.",
    "An independent review found that the original estimate of £{m} million was too low.",
    "“Nobody is pretending this is easy, but doing nothing is not an option,” {p} added.",
    "Opponents have until {n} June to lodge formal objections with the planning committee.",
    "The scheme is part of a wider plan to cut traffic through the centre of {pl}.",
    "Volunteers spent {n} weekends clearing the site before the contractors arrived.",
    "A spokesperson for the contractor said the team was confident of finishing on time.",
    "Schools in {pl} will receive letters explaining how the changes affect pupils.",
    "Similar schemes in neighbouring towns have had mixed results, the report notes.",
]
WIRE = [
    "A powerful storm swept across the region overnight, bringing down trees and power "
    "lines and leaving thousands of homes without electricity.",
    "Emergency services said they had received more than 400 calls between midnight and "
    "dawn, most of them about fallen trees blocking roads.",
    "“The crews have been working flat out since the early hours and will keep going until "
    "every home is back on,” a spokesperson for the electricity network said.",
    "Forecasters expect the wind to ease by the afternoon, but warned of further heavy rain "
    "on Sunday.",
]
HEADLINES = [
    "{pl} council backs £{m}m plan for {proj}",
    "Residents fight back over {i} in {pl}",
    "Cost of {proj} rises to £{m}m, report finds",
    "Decision on {proj} delayed by {n} weeks",
    "{pl} volunteers clear the way for {proj}",
    "New figures show the scale of {i} in {pl}",
]

# Each site: what its pages print around the article. "vary" lines are chosen per page
# from a few variants (a rotating promo), so none of them is on most pages.
SITES = {
    "ashby-vale-courier.example": {
        "head": [
            "The Ashby Vale Courier",
            "Your paper since 1887",
            "Home",
            "News",
            "Sport",
            "Business",
            "Letters",
            "Obituaries",
            "Weather",
            "Subscribe",
        ],
        "tail": [
            "Support independent local news: become a Courier supporter today.",
            "Most read this week",
            "{related}",
            "The Ashby Vale Courier is owned by its readers and employs eleven "
            "journalists in the Vale.",
            "Contact us",
            "Advertise",
            "Privacy notice",
            "© Ashby Vale Courier Ltd",
        ],
        "vary": [
            [
                "Breaking: road closures on the A41 tonight",
                "Breaking: schools reopen after the storm",
                "Breaking: polls close at 10pm",
            ]
        ],
    },
    "kirkholme-gazette.example": {
        "head": [
            "Kirkholme Gazette",
            "Skip to main content",
            "Menu",
            "Search the Gazette",
            "News | Sport | What's On | Property | Jobs",
            "Sign up to our newsletter",
        ],
        "tail": [
            "Read more stories like this on the Gazette app, free for iPhone and Android.",
            "Share this story",
            "Facebook",
            "X",
            "WhatsApp",
            "Kirkholme Gazette is part of Moorland Regional Press. Registered in England "
            "No. 03316027.",
            "Readers' Charter",
            "Kirkholme Gazette | Established 1851",
        ],
        "vary": [],
        "body": [("Gazette reporter Owen Mathers contributed to this report.", 0.3)],
    },
    "portellery-notes.example": {
        "head": [
            "Port Ellery Notes",
            "A blog about life on the harbour",
            "About",
            "Archive",
            "Contact",
        ],
        "tail": [
            "Share this:",
            "Twitter",
            "Facebook",
            "Like this:",
            "Like Loading...",
            "Related",
            "{related}",
            "Recent Posts",
            "{related}",
            "Archives",
            "Categories",
            "Harbour life",
            "Local politics",
            "Meta",
            "Log in",
            "Entries feed",
            "Comments feed",
            "Blog at WordPress.com.",
        ],
        "vary": [],
    },
    "brackenridge-times.example": {
        "head": [
            "Brackenridge Times",
            "Independent. Local. Since 1902.",
            "Latest",
            "Council",
            "Schools",
            "Transport",
            "Environment",
            "Opinion",
            "Puzzles",
        ],
        "tail": [
            "This story was produced with support from the Local Democracy Fund.",
            "More from the Times",
            "{related}",
            "Got a story? Email newsdesk@brackenridge-times.example",
            "Brackenridge Times, 14 Quay Street, Brackenridge",
            "Terms",
            "Cookies",
            "Accessibility",
        ],
        "vary": [
            [
                "Sponsored: Compare energy deals in Brackenridge",
                "Sponsored: Find a local tradesperson you can trust",
                "Sponsored: Holiday lets on the coast from £49",
                "Sponsored: The best walks around the Vale",
            ]
        ],
        "body": [("What happens next", 0.4)],
    },
    "sallowcross-today.example": {
        "head": [
            "SALLOW CROSS TODAY",
            "News for Sallow Cross and the surrounding villages",
            "Home",
            "Local News",
            "Community",
            "Events",
            "Business Directory",
        ],
        "tail": [
            "Sallow Cross Today is a not-for-profit community news service run by volunteers.",
            "Donate",
            "Volunteer with us",
            "Related stories",
            "{related}",
            "Sallow Cross Today © 2024",
        ],
        "vary": [],
    },
    "harwick-herald.example": {
        "head": [
            "Harwick Herald",
            "Log in",
            "Register",
            "Today's paper",
            "News",
            "Sport",
            "Harwick Town FC",
            "Nostalgia",
            "Family notices",
        ],
        "tail": [
            "Do you have a view on this story? Write to letters@harwick-herald.example",
            "Trending",
            "{related}",
            "Harwick Herald is a member of the Independent "
            "Press Standards Organisation (IPSO), which regulates the UK's magazine and "
            "newspaper industry.",
            "Harwick Herald 2024",
        ],
        "vary": [],
    },
}


def _fill(template: str, rng: random.Random) -> str:
    return template.format(
        p=rng.choice(PEOPLE),
        r=rng.choice(ROLES),
        pl=rng.choice(PLACES),
        proj=rng.choice(PROJECTS),
        i=rng.choice(ISSUES),
        m=rng.randint(2, 90),
        n=rng.randint(2, 30),
    )


def _article(rng: random.Random) -> list[str]:
    paras = []
    for _ in range(rng.randint(3, 6)):
        paras.append(" ".join(_fill(rng.choice(SENTENCES), rng) for _ in range(rng.randint(1, 3))))
    return paras


def build_corpus(pages: int, seed: int) -> list[dict]:
    """Records (id, url, text, truth): every site's pages, a wire story on each site."""
    rng = random.Random(seed)
    out = []
    for site, style in SITES.items():
        heads = []
        seen: set[str] = set()
        while len(heads) < pages:  # distinct headlines, for this site's pages
            h = _fill(rng.choice(HEADLINES), rng)
            if h in seen:
                h = f"{h}: part {len(heads)}"
            seen.add(h)
            heads.append(h)
        for n in range(pages):
            body = list(WIRE) if n == 0 else _article(rng)
            # Body lines a site repeats on some pages, never most: a stock subheading,
            # one reporter's credit line. They must stay.
            for line, share in style.get("body", []):
                if n and rng.random() < share:
                    body.insert(len(body) - 1 if "contributed" in line else 2, line)
            head = "Storm leaves thousands without power" if n == 0 else heads[n]
            related = rng.sample([h for h in heads if h != head], 3)
            date = f"{rng.randint(1, 28)} {rng.choice(['March', 'April', 'May'])} 2024"
            lines = [f"{head} | {style['head'][0].title()}", *style["head"]]
            lines += [v[rng.randrange(len(v))] for v in style["vary"]]
            lines += [
                rng.choice(["News", "Council", "Community", "Transport"]),
                head,
                f"By {rng.choice(PEOPLE)}",
                date,
                *body,
            ]
            for line in style["tail"]:
                lines += related if line == "{related}" else [line]
            out.append(
                {
                    "id": f"{site}/{n:03d}",
                    "url": f"https://www.{site}/news/{n:03d}",
                    "text": "\n".join(lines) + "\n",
                    "truth": "\n\n".join(body) + "\n",
                }
            )
    return out


# ---- measuring -----------------------------------------------------------------------


def _clean_all(cleaner: Cleaner, records: list[dict]) -> tuple[dict[str, str], int, float]:
    started = time.perf_counter()
    outs, by_site = {}, 0
    for r in records:
        result = cleaner.clean(r["text"], url=r.get("url"))
        outs[r["id"]] = result.text
        by_site += sum(1 for x in result.removals if x.by == SITE_REPEAT)
    return outs, by_site, time.perf_counter() - started


def _lost(records: list[dict], outs: dict[str, str]) -> int:
    """Truth paragraphs that are not in the output whole."""
    return sum(
        1
        for r in records
        for p in r["truth"].split("\n\n")
        if p.strip() and p.strip() not in outs[r["id"]]
    )


def _row(name: str, s: dict, lost: int, paras: int, extra: str = "") -> None:
    print(
        f"{name:<34} {s['f1']:.4f}  {s['precision']:.3f}  {s['recall']:.3f}  "
        f"{lost:>5}/{paras:<5} {extra}"
    )


def measure(records: list[dict], label: str, tmp: Path) -> None:
    """Score raw, cleaned and cleaned with --learn; time profiling and cleaning."""
    score, how = scorer()
    src = tmp / f"{label}.jsonl"
    src.write_bytes(
        b"".join(
            orjson.dumps({k: r[k] for k in ("id", "url", "text") if k in r}) + b"\n"
            for r in records
        )
    )
    mb = src.stat().st_size / 1e6
    started = time.perf_counter()
    built = build_profile([src])
    profile_s = time.perf_counter() - started
    plain = Cleaner()
    with_learn = Cleaner(ruleset=plain.ruleset, profile=built.profile)
    paras = sum(len([p for p in r["truth"].split("\n\n") if p.strip()]) for r in records)
    print(
        f"\n## {label}: {len(records)} pages, {len(built.profile.sites)} sites, {mb:.2f} MB "
        f"(scored with {how})"
    )
    print(f"{'':<34} {'F1':<7} {'P':<6} {'R':<6} {'paragraphs lost':<12}")
    raw = score({r["id"]: (r["truth"], r["text"]) for r in records})
    _row("input as it is", raw, _lost(records, {r["id"]: r["text"] for r in records}), paras)
    outs0, _, clean_s = _clean_all(plain, records)
    _row(
        "cleaner",
        score({r["id"]: (r["truth"], outs0[r["id"]]) for r in records}),
        _lost(records, outs0),
        paras,
    )
    outs1, by_site, learn_s = _clean_all(with_learn, records)
    _row(
        "cleaner --learn",
        score({r["id"]: (r["truth"], outs1[r["id"]]) for r in records}),
        _lost(records, outs1),
        paras,
        f"{by_site} lines removed by {SITE_REPEAT}",
    )
    changed = sum(1 for k in outs0 if outs0[k] != outs1[k])
    print(f"pages whose output --learn changed: {changed} of {len(records)}")
    print(
        f"profiling: {profile_s:.2f} s, {mb / profile_s:.2f} MB/s "
        f"({profile_s / mb:.2f} s per MB, one process, JSONL read included)"
    )
    print(
        f"cleaning: {mb / clean_s:.2f} MB/s without a profile, {mb / learn_s:.2f} MB/s with "
        f"(one process)"
    )


def dumps_records() -> list[dict] | None:
    """The benchmark's full-page dumps with their URLs and truths, if present."""
    urls_file = BENCH / "urls.tsv"
    if not urls_file.exists():
        return None
    urls = dict(
        line.split("\t", 1) for line in urls_file.read_text().splitlines()[1:] if "\t" in line
    )
    out = []
    for dump in sorted((BENCH / "dumps").glob("*.txt")):
        truth = BENCH / "truth" / dump.name
        if truth.exists():
            out.append(
                {
                    "id": dump.stem,
                    "url": urls.get(dump.stem, "").strip() or None,
                    "text": dump.read_text(encoding="utf-8"),
                    "truth": truth.read_text(encoding="utf-8"),
                }
            )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--pages", type=int, default=40, help="pages per site (default 40)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", choices=("corpus", "dumps"))
    ap.add_argument("--write", type=Path, help="also write the corpus here (JSONL and truths)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.only in (None, "corpus"):
            records = build_corpus(args.pages, args.seed)
            if args.write:
                args.write.mkdir(parents=True, exist_ok=True)
                (args.write / "corpus.jsonl").write_bytes(
                    b"".join(orjson.dumps(r) + b"\n" for r in records)
                )
            measure(records, "generated corpus", Path(tmp))
        if args.only in (None, "dumps"):
            records = dumps_records()
            if records is None:
                print(f"\n## bench dumps: skipped ({BENCH} not found)")
            else:
                hosts = Counter(r["url"].split("/")[2] if r["url"] else None for r in records)
                print(
                    f"\n(bench dumps: {len(hosts)} hosts, at most {max(hosts.values())} pages "
                    "on one)"
                )
                measure(records, "bench dumps", Path(tmp))


if __name__ == "__main__":
    main()
