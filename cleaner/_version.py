"""The package's version, in one place below every module that reports it."""

__version__ = "1.0.0"
