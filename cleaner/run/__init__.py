"""Runs over many documents: records, batches and the worker pipeline, limits, stats,
site profiles built from folders, rule suggestions and costs."""
