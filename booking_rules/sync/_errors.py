"""Errors of the sync.

    BookingRulesError
     └── SyncError
          ├── SetupError        bad setup: exit 2, one line (no credentials, bad base URL,
          │    │                a base URL that does not answer like Phorest, unknown branch)
          │    └── AuthError    401/403: names where the credentials came from, never them
          ├── StreamError       one stream stopped (a page not JSON or not the expected
          │                     shape, retries exhausted, a 4xx): names endpoint and page;
          │                     that stream's coverage stays as it was, other streams go on
          └── BudgetExhausted   the poll's request budget is spent; the rest waits
"""

from __future__ import annotations

from .. import BookingRulesError


class SyncError(BookingRulesError):
    """Base of the sync's errors."""


class SetupError(SyncError):
    """The sync cannot start: one line for the user, exit 2."""


class AuthError(SetupError):
    """Phorest refused the credentials (401) or their access (403)."""


class StreamError(SyncError):
    """A stream stopped at one endpoint and page; its coverage did not advance."""

    def __init__(self, endpoint: str, page: int | None, problem: str) -> None:
        self.endpoint = endpoint
        self.page = page
        self.problem = problem
        where = endpoint if page is None else f"{endpoint} page {page}"
        super().__init__(f"GET {where}: {problem}")


class BudgetExhausted(SyncError):
    """The request budget of this poll is spent."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        super().__init__(f"request budget of {budget} spent; the rest waits for the next poll")
