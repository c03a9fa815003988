"""Text to units: normalization, segmentation into lines and paragraphs, line features,
stopwords and language. Knows nothing of rules or documents' verdicts."""
