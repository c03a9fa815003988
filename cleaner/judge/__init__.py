"""Judgement of one document: its lines and removal trace, the structure steps, comment
threads, vetoes, site repeats. Reads text features and compiled rules; no files."""
