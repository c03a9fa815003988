"""Input and output formats: bytes to text, HTML through trafilatura, JSONL streams,
Common Crawl WARC and WET, Parquet. Knows nothing of the engine."""
