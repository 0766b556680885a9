"""The cache's error: an input error (the CLI answers it with one line and exit 2)."""

from __future__ import annotations

from .._errors import InputError


class CacheError(InputError):
    """A cache that cannot be used: missing, unreadable, locked, not a cache, a bad URL."""

    def __init__(self, url: str, problem: str) -> None:
        super().__init__(url, "", problem)
        self.url = url
        self.problem = problem
        Exception.__init__(self, f"cache {url}: {problem}")
