"""Lambda's logging controls (LoggingConfig): the log format, the two log levels, and what they change."""
