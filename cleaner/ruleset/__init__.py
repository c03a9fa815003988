"""Rules as data: rule files loaded and validated, literal prefixes analysed, patterns
compiled into one matcher, examples checked, the compiled set cached."""
