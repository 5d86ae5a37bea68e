"""briefing: turn a folder of news articles into a cross-linked, cited briefing site."""

__version__ = "0.1.0"
