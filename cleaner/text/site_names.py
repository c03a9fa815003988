"""Site names: a document's site from its URL or its page's canonical URL, and how
rules' `domains` compare with it. (Kept apart from `sites.py` so rule loading needs
nothing more.)"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

_HOST_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?")
# <link rel="canonical" href="..."> and <meta property="og:url" content="...">, either
# attribute order, in the head of a page.
_CANONICAL = re.compile(
    r"<link\b[^>]*?\brel\s*=\s*[\"']?canonical[\"']?[^>]*?\bhref\s*=\s*[\"']([^\"'>\s]+)"
    r"|<link\b[^>]*?\bhref\s*=\s*[\"']([^\"'>\s]+)[\"'][^>]*?\brel\s*=\s*[\"']?canonical\b"
    r"|<meta\b[^>]*?\bproperty\s*=\s*[\"']og:url[\"'][^>]*?\bcontent\s*=\s*[\"']([^\"'>\s]+)"
    r"|<meta\b[^>]*?\bcontent\s*=\s*[\"']([^\"'>\s]+)[\"'][^>]*?\bproperty\s*=\s*[\"']og:url\b",
    re.IGNORECASE,
)
# The canonical link is looked for in this many first characters of a page.
CANONICAL_HEAD_CHARS = 65536


def site_of_url(url: str | None) -> str | None:
    """The site of a URL: its host, lower-case, without port or a leading `www.`."""
    if not url or not isinstance(url, str):
        return None
    url = url.strip()
    if "//" not in url:
        url = "//" + url
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return normalize_site(host) if host else None


def normalize_site(name: str | None) -> str | None:
    """A site name as profiles and rules compare it: lower-case, no `www.`, no end dot."""
    if not name:
        return None
    name = name.strip().lower().rstrip(".")
    if name.startswith("www."):
        name = name[4:]
    return name or None


def valid_site(name: str) -> bool:
    """Whether `name` is written as sites are compared: `news.example.com`, `blog`."""
    return name == normalize_site(name) and all(_HOST_LABEL.fullmatch(p) for p in name.split("."))


def in_domains(site: str, domains: Iterable[str]) -> bool:
    """Whether `site` is one of `domains` or a subdomain of one."""
    return any(site == d or site.endswith("." + d) for d in domains)


def canonical_url(html: str) -> str | None:
    """The page's own URL from `<link rel=canonical>` or `og:url`, if its head has one."""
    m = _CANONICAL.search(html, 0, CANONICAL_HEAD_CHARS)
    if m is None:
        return None
    return next((g for g in m.groups() if g), None)
