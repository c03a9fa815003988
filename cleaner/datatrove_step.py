"""A datatrove pipeline step: `cleaner` after the extractor, before the quality filters.

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from cleaner.datatrove_step import CleanerFormatter

    LocalPipelineExecutor(
        [JsonlReader("in/"), CleanerFormatter(), JsonlWriter("out/")], tasks=4
    ).run()

Each document's text is cleaned as `cleaner clean` cleans a JSONL record (HTML in the
text goes through the extractor first; the `url` metadata names the site); the
`cleaner` metadata holds the headline, lines removed, flags and versions, as the CLI's
`cleaner` object does; and every removal counts in datatrove's stats under
`removed:<rule or heuristic id>`, with `flag:<flag>` for flagged documents.

The step holds only its settings: it pickles small, and each worker builds its own
`Cleaner` (rules compiled, profile loaded) on first use. Install with
`pip install 'cleaner[datatrove]'`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from datatrove.data import DocumentsPipeline
from datatrove.pipeline.formatters.base import BaseFormatter
from datatrove.utils.typeshelper import StatHints

from .engine import FLAG_EMPTIED, Cleaner, Result
from .io.formats import is_html
from .judge.sites import SITE_REPEAT_MIN, SITE_REPEAT_SHARE
from .record import INFO_FIELD, record_info


class CleanerFormatter(BaseFormatter):
    """Clean `doc.text` with `cleaner`; say what was removed in metadata and stats.

    Args:
        rules: extra rule files or folders (as `--rules`).
        default_rules: load the default rules too.
        keep_title: put the headline back on top of the text.
        after_extractor: True: light structure (text an extractor cut down); False:
            full-page structure; None: decided per document.
        profile: a site profile file (`cleaner profile build`), read by each worker:
            lines repeated across many pages of a site go (`structure.site-repeat`).
        site: the site of documents whose metadata has no URL.
        site_repeat_share, site_repeat_min: the profile's thresholds.
        url_key: the metadata field holding a document's URL.
        metadata_key: where the cleaning summary goes in `doc.metadata` (None: nowhere).
        drop_emptied: drop documents left empty instead of passing them on with no text.
    """

    name = "🧹 cleaner"

    def __init__(
        self,
        rules: Iterable[str | Path] = (),
        *,
        default_rules: bool = True,
        keep_title: bool = False,
        after_extractor: bool | None = None,
        profile: str | Path | None = None,
        site: str | None = None,
        site_repeat_share: float = SITE_REPEAT_SHARE,
        site_repeat_min: int = SITE_REPEAT_MIN,
        url_key: str = "url",
        metadata_key: str | None = INFO_FIELD,
        drop_emptied: bool = False,
    ) -> None:
        super().__init__()
        self.rules = [str(p) for p in rules]
        self.default_rules = default_rules
        self.keep_title = keep_title
        self.after_extractor = after_extractor
        self.profile = str(profile) if profile is not None else None
        self.site = site
        self.site_repeat_share = site_repeat_share
        self.site_repeat_min = site_repeat_min
        self.url_key = url_key
        self.metadata_key = metadata_key
        self.drop_emptied = drop_emptied
        self._cleaner: Cleaner | None = None
        self.cleaner  # noqa: B018 (fail here, not in a worker, on a bad rule file or profile)
        self._cleaner = None

    @property
    def cleaner(self) -> Cleaner:
        """The Cleaner, built on first use in each process."""
        if self._cleaner is None:
            self._cleaner = Cleaner(
                self.rules,
                default_rules=self.default_rules,
                keep_title=self.keep_title,
                after_extractor=self.after_extractor,
                profile=self.profile,
                site=self.site,
                site_repeat_share=self.site_repeat_share,
                site_repeat_min=self.site_repeat_min,
            )
        return self._cleaner

    def __getstate__(self) -> dict[str, Any]:
        """Settings only: the Cleaner is rebuilt where the step runs."""
        state = self.__dict__.copy()
        state["_cleaner"] = None
        return state

    def clean(self, text: str, url: str | None = None) -> Result:
        """One text, as `cleaner clean` cleans a JSONL record's text field."""
        if is_html(None, text):
            return self.cleaner.clean_html(text, url)
        return self.cleaner.clean(text, url=url)

    def format(self, text: str) -> str:
        return self.clean(text).text

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        for doc in data:
            self.stat_update(StatHints.total)
            url = doc.metadata.get(self.url_key)
            with self.track_time():
                result = self.clean(doc.text, url if isinstance(url, str) and url else None)
            doc.text = result.text
            if self.metadata_key is not None:
                doc.metadata[self.metadata_key] = record_info(self.cleaner, result)
            self.stat_update("removed_lines", value=result.removed_lines)
            for removal in result.removals:
                self.stat_update(f"removed:{removal.by}")
            for flag in result.flags:
                self.stat_update(f"flag:{flag}")
            if self.drop_emptied and FLAG_EMPTIED in result.flags:
                self.stat_update(StatHints.dropped)
                continue
            self.stat_update(StatHints.forwarded)
            yield doc
