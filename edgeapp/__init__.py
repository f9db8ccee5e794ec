"""edgeapp: local-first AI chat with a privacy-scrubbed cloud cascade."""

__version__ = "0.1.0"
