"""The polling sync of one branch into the cache (SYNC.md).

A poll runs the streams in a fixed order, each in its own way:

* reference lists (branch, staff, services, rooms, machines, offers, courses, client
  courses, clients): all pages, when never fetched or older than ``reference_max_age``;
  rows missing from a complete listing are marked gone;
* appointments: the target window's calendar-month chunks not yet covered, by
  ``from_date``/``to_date``; then every change since the watermark (minus an overlap) by
  ``updated_from``/``updated_to`` in chunks of at most 31 days; upserts by id dedupe the
  overlap and the version protects newer copies;
* work timetables and breaks (no change feed): the window's month chunks, re-fetched when
  older than ``window_max_age``, the current month first, then the following, then the
  earlier ones; days or breaks missing from a complete chunk are marked gone.

Each page is one transaction with its progress; a chunk's window (or a list's fetched-at)
is recorded only in the transaction that ends it, so a killed sync resumes and never shows
a half-written window as covered. A stream that fails (a bad page, retries exhausted) keeps
its coverage, records the error, and the poll goes on with the others.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any, Literal, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx

from ..cache import (
    STREAMS,
    Progress,
    Row,
    Store,
    StreamKey,
    StreamState,
    Window,
    Writer,
)
from ..cache._model import OddRow, iso_z, row_of, split_timetable
from ._credentials import Credentials
from ._errors import AuthError, BudgetExhausted, SetupError, StreamError
from ._http import DEFAULT_BASE_URL, Api, RetryPolicy, read_page

Clock = Callable[[], datetime]

# stream -> (path under the business; {b} is the branch), fixed params, _embedded keys
_ENDPOINTS: dict[str, tuple[str, dict[str, str], tuple[str, ...]]] = {
    "branch": ("branch", {}, ("branches",)),
    "staff": ("branch/{b}/staff", {"fetch_archived": "true"}, ("staffs", "staff")),
    "services": ("branch/{b}/service", {}, ("services",)),
    "rooms": ("branch/{b}/room", {}, ("rooms",)),
    "machines": ("branch/{b}/machine", {}, ("machines",)),
    "specialOffers": ("branch/{b}/service-special-offer", {},
                      ("serviceSpecialOffers", "specialOffers")),
    "courses": ("branch/{b}/course", {}, ("courses",)),
    "clientCourses": ("clientcourse", {}, ("clientCourses",)),
    "clients": ("client", {}, ("clients",)),
    "workTimeTables": ("branch/{b}/staff/worktimetable", {}, ("workTimeTables",)),
    "breaks": ("branch/{b}/break", {}, ("breaks",)),
    "appointments": ("branch/{b}/appointment",
                     {"fetch_canceled": "true", "fetch_deleted": "true"}, ("appointments",)),
}
REFERENCE = ("staff", "services", "rooms", "machines", "specialOffers", "courses",
             "clientCourses", "clients")
# A reference list the API may not serve (404): the stream is marked so and skipped.
_OPTIONAL = frozenset(REFERENCE)

Outcome = Literal["ok", "skipped", "failed", "budget", "unavailable"]


@dataclass(slots=True)
class StreamResult:
    stream: str
    outcome: Outcome = "skipped"
    requests: int = 0
    rows_changed: int = 0
    rows_gone: int = 0
    quarantined: int = 0
    message: str | None = None


@dataclass(slots=True)
class PollSummary:
    """What one poll did: the one-line summary is ``str(summary)``."""

    business: str
    branch: str
    started_at: datetime
    requests: int = 0
    retried: int = 0
    seconds: float = 0.0
    streams: dict[str, StreamResult] = field(default_factory=dict)

    @property
    def rows_changed(self) -> int:
        return sum(r.rows_changed for r in self.streams.values())

    @property
    def rows_gone(self) -> int:
        return sum(r.rows_gone for r in self.streams.values())

    @property
    def failed(self) -> list[StreamResult]:
        return [r for r in self.streams.values() if r.outcome in ("failed", "budget")]

    @property
    def ok(self) -> bool:
        return not self.failed

    def __str__(self) -> str:
        line = (f"sync {self.business}/{self.branch}: {self.rows_changed} rows changed, "
                f"{self.rows_gone} gone, {self.requests} requests"
                + (f" ({self.retried} retried)" if self.retried else "")
                + f", {self.seconds:.1f} s")
        for r in self.failed:
            line += f"; {r.stream} {'stopped' if r.outcome == 'failed' else 'waits'}: " \
                    f"{r.message}"
        return line


class ProgressSink(Protocol):
    """Where progress goes (a rich display, plain lines, nothing). Never credentials."""

    def stream_started(self, stream: str, what: str) -> None: ...

    def page_done(self, stream: str, page: int, rows: int, changed: int) -> None: ...

    def stream_done(self, result: StreamResult) -> None: ...


class _Quiet:
    def stream_started(self, stream: str, what: str) -> None:
        pass

    def page_done(self, stream: str, page: int, rows: int, changed: int) -> None:
        pass

    def stream_done(self, result: StreamResult) -> None:
        pass


def month_chunks(start: date, end: date) -> list[tuple[date, date]]:
    """``[start, end]`` cut at calendar months: each chunk at most one month (≤ 31 days),
    and the same chunks from one poll to the next as the window slides."""
    out = []
    day = start
    while day <= end:
        first_next = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
        last = min(end, first_next - timedelta(days=1))
        out.append((day, last))
        day = last + timedelta(days=1)
    return out


def _covered_since(state: StreamState | None, chunk: tuple[date, date],
                   since: datetime | None) -> bool:
    """Whether the windows cover every day of ``chunk`` (fetched at or after ``since``)."""
    if state is None:
        return False
    day = chunk[0]
    for w in sorted(state.windows, key=lambda w: w.start):
        if since is not None and w.fetched_at < since:
            continue
        if w.start <= day <= w.end:
            day = w.end + timedelta(days=1)
        if day > chunk[1]:
            return True
    return day > chunk[1]


class Syncer:
    """Polls one branch of one business into a store.

    ``clock`` gives the current instant (aware UTC); every instant the sync records comes
    from it, so tests run on a fixed or moving clock. ``window``: the local dates to cover
    (default: ``days_back`` before today to ``days_ahead`` after, sliding with the clock).
    """

    def __init__(self, business: str, branch: str, *, credentials: Credentials,
                 store: Store, clock: Clock, base_url: str = DEFAULT_BASE_URL,
                 transport: httpx.BaseTransport | None = None,
                 window: tuple[date, date] | None = None, days_back: int = 30,
                 days_ahead: int = 90, overlap: timedelta = timedelta(minutes=5),
                 budget: int | None = 5000, retry: RetryPolicy | None = None,
                 reference_max_age: timedelta = timedelta(hours=1),
                 window_max_age: timedelta = timedelta(minutes=15), page_size: int = 100,
                 progress: ProgressSink | None = None, timeout: float = 30.0) -> None:
        if window is not None and window[0] > window[1]:
            raise SetupError(f"--from {window[0]} is after --to {window[1]}")
        self.business, self.branch = business, branch
        self.store = store
        self.clock = clock
        self.window = window
        self.days_back, self.days_ahead = days_back, days_ahead
        self.overlap = overlap
        self.budget = budget
        self.reference_max_age = reference_max_age
        self.window_max_age = window_max_age
        self.page_size = page_size
        self.progress: ProgressSink = progress or _Quiet()
        self.api = Api(base_url, business, credentials, transport=transport, retry=retry,
                       timeout=timeout, clock=clock)
        self.zone: ZoneInfo | None = None
        # Optional lists the API answered 404 for, and when: not asked again until due.
        self._unavailable: dict[str, datetime] = {}

    def close(self) -> None:
        self.api.close()

    def __enter__(self) -> Syncer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _now(self) -> datetime:
        now = self.clock()
        if now.tzinfo is None:
            raise ValueError("the sync's clock must give aware instants")
        return now.astimezone(UTC)

    def _key(self, stream: str) -> StreamKey:
        return StreamKey.of(self.business, self.branch, stream)

    def _state(self, stream: str) -> StreamState | None:
        with self.store.read() as r:
            return r.state(self._key(stream), counts=False)

    # --- one poll ----------------------------------------------------------------------

    def poll(self, *, refresh_all: bool = False) -> PollSummary:
        """Fetch what is due (everything with ``refresh_all``) and return the summary.

        Raises ``SetupError``/``AuthError`` when the sync cannot run at all; a stream's
        own failure is in the summary, not raised.
        """
        t0 = time.monotonic()
        now = self._now()
        api = self.api
        base_requests, base_retried = api.requests, api.retried
        api.budget = None if self.budget is None else api.requests + self.budget
        summary = PollSummary(self.business, self.branch, now)
        try:
            if self.zone is None:
                self._setup(summary)
            assert self.zone is not None
            today = now.astimezone(self.zone).date()
            window = self.window or (today - timedelta(days=self.days_back),
                                     today + timedelta(days=self.days_ahead))
            for stream in REFERENCE:
                state = self._state(stream)
                due = refresh_all or state is None or state.fetched_at is None or (
                    now - state.fetched_at >= self.reference_max_age) or (
                    state.last_error is not None)
                gone_at = self._unavailable.get(stream)
                if gone_at is not None and not refresh_all and (
                        now - gone_at < self.reference_max_age):
                    due = False
                if due:
                    self._run(summary, stream, partial(self._list, stream))
            self._run(summary, "appointments",
                      partial(self._appointments, window=window, today=today))
            for stream in ("workTimeTables", "breaks"):
                self._run(summary, stream, partial(self._windows, stream, window=window,
                                                   today=today, refresh_all=refresh_all))
        finally:
            summary.requests = api.requests - base_requests
            summary.retried = api.retried - base_retried
            summary.seconds = time.monotonic() - t0
        return summary

    def _run(self, summary: PollSummary, stream: str,
             work: Callable[[StreamResult], None]) -> None:
        result = summary.streams[stream] = StreamResult(stream)
        if any(r.outcome == "budget" for r in summary.streams.values() if r is not result):
            result.outcome, result.message = "budget", "waits for the next poll"
            self.progress.stream_done(result)
            return
        before = self.api.requests
        try:
            work(result)
            if result.outcome == "skipped" and self.api.requests > before:
                result.outcome = "ok"
        except BudgetExhausted as exc:
            result.outcome, result.message = "budget", str(exc)
        except AuthError:
            raise
        except StreamError as exc:
            if exc.problem.startswith("HTTP 404") and stream in _OPTIONAL:
                result.outcome = "unavailable"
                result.message = f"GET {exc.endpoint}: not served (HTTP 404); left out"
                self._unavailable[stream] = self._now()
            else:
                result.outcome, result.message = "failed", str(exc)
            with self.store.write() as w:
                w.fail(self._key(stream), result.message)
        finally:
            result.requests = self.api.requests - before
            self.progress.stream_done(result)

    def _setup(self, summary: PollSummary) -> None:
        """The branch list: proves the base URL speaks Phorest and the branch exists."""
        path = "branch"
        label = f"/{self.business}/{path}"
        result = summary.streams["branch"] = StreamResult("branch")
        before = self.api.requests
        try:
            response = self.api.get(path, {"page": 0, "size": self.page_size}, page=0)
        except StreamError as exc:
            if exc.problem.startswith(("HTTP 429", "HTTP 5")):  # it answers, but not now
                raise SetupError(f"{self.api.base_url}: {exc}") from None
            raise SetupError(f"{self.api.base_url} does not answer like the Phorest API "
                             f"({exc})") from None
        if response.status_code == 404:
            raise SetupError(f"{self.api.base_url} does not answer like the Phorest API, "
                             f"or business {self.business} is unknown (GET {label}: "
                             "HTTP 404)")
        type_ = response.headers.get("content-type", "")
        if "json" not in type_:
            raise SetupError(f"{self.api.base_url} does not answer like the Phorest API "
                             f"(GET {label}: {type_ or 'no content type'}, not JSON)")
        try:
            self._list("branch", result, first=response)
        except StreamError as exc:
            raise SetupError(f"{self.api.base_url} does not answer like the Phorest API "
                             f"({exc})") from None
        finally:
            result.requests = self.api.requests - before
        with self.store.read() as r:
            held = r.branches(self.business)
            raws = r.raw_rows(self._key("branch"))
        ids = [i for _, i in held]
        if self.branch not in ids:
            raise SetupError(f"unknown branch {self.branch!r}: business {self.business} "
                             f"has {', '.join(ids) or 'no branches'}")
        row = next(json.loads(raw) for raw in raws
                   if json.loads(raw).get("branchId") == self.branch)
        try:
            self.zone = ZoneInfo(str(row.get("timeZone")))
        except (ZoneInfoNotFoundError, ValueError):
            raise SetupError(f"branch {self.branch!r}: timeZone {row.get('timeZone')!r} "
                             "is not an IANA time zone") from None
        result.outcome = "ok"
        self.progress.stream_done(result)

    # --- paged tasks -------------------------------------------------------------------

    def _rows(self, stream: str, page_items: Iterable[tuple[Any, bytes]], key: StreamKey,
              where: str) -> tuple[list[Row], list[tuple[str, str, bytes]]]:
        spec = STREAMS[stream]
        rows: list[Row] = []
        odd: list[tuple[str, str, bytes]] = []
        for i, (item, raw) in enumerate(page_items):
            try:
                if stream == "workTimeTables":
                    rows.extend(split_timetable(item))
                else:
                    rows.append(row_of(spec, item, raw))
            except OddRow as exc:
                odd.append((f"{where}[{i}]", f"expected {exc}", raw))
        return rows, odd

    def _task(self, stream: str, task: str, path: str, params: dict[str, str],
              result: StreamResult, *, first: httpx.Response | None = None,
              paged: bool = True, window: tuple[date, date] | None = None,
              resume: bool = True,
              on_done: Callable[[Writer, datetime], None] | None = None) -> None:
        """Fetch every page of one listing; commit each page with its progress; end with
        one transaction that marks the vanished rows and calls ``on_done`` (which records
        the window or the fetch)."""
        key = self._key(stream)
        keys = _ENDPOINTS[stream][2]
        with self.store.read() as r:
            saved = r.progress(key, task) if resume else None
        # Resume one page early: rows that moved between pages while we were away.
        start = max(0, saved.next_page - 1) if saved is not None else 0
        started_at = saved.started_at if saved is not None else self._now()
        # Only a listing seen whole may mark rows gone; a change feed lists only changes.
        complete = start == 0 and resume
        seen: set[str] = set()
        self.progress.stream_started(stream, task)
        label = f"/{self.business}/{path}"
        if first is not None:
            pages: Iterable[Any] = _chain_first(
                read_page(first.content, keys, label, 0, self.page_size),
                lambda: self.api.pages(path, params, keys, start=1, size=self.page_size,
                                       paged=paged))
        else:
            pages = self.api.pages(path, params, keys, start=start, size=self.page_size,
                                   paged=paged)
        fetched = self._now()
        for page in pages:
            rows, odd = self._rows(stream, zip(page.items, page.raws, strict=True), key,
                                   f"{label} page {page.number}")
            seen.update(r.id for r in rows)
            with self.store.write() as w:
                changed = w.upsert(key, rows, fetched)
                for where, reason, raw in odd:
                    w.quarantine(key, where, reason, raw, fetched)
                if resume:
                    w.set_progress(key, Progress(task, page.number + 1, started_at))
            result.rows_changed += changed
            result.quarantined += len(odd)
            self.progress.page_done(stream, page.number, len(rows), changed)
        with self.store.write() as w:
            if complete:
                result.rows_gone += w.mark_gone(key, seen, self._now(), window)
            w.clear_progress(key, task)
            if on_done is not None:
                on_done(w, started_at)

    def _list(self, stream: str, result: StreamResult, *,
              first: httpx.Response | None = None) -> None:
        path, params, _ = _ENDPOINTS[stream]
        path = path.format(b=self.branch)
        key = self._key(stream)
        self._task(stream, "list", path, params, result, first=first,
                   on_done=lambda w, started: w.finish(key, started))

    def _appointments(self, result: StreamResult, window: tuple[date, date],
                      today: date) -> None:
        stream = "appointments"
        key = self._key(stream)
        path, params, _ = _ENDPOINTS[stream]
        path = path.format(b=self.branch)
        # 1. Dates of the window not covered yet: by from_date/to_date, month by month.
        for chunk in _order(month_chunks(*window), today):
            if _covered_since(self._state(stream), chunk, None):
                continue
            self._task(stream, f"dates {chunk[0]}..{chunk[1]}", path,
                       {**params, "from_date": chunk[0].isoformat(),
                        "to_date": chunk[1].isoformat()}, result, window=chunk,
                       on_done=partial(_record_window, key, chunk))
        # 2. Everything changed since the watermark, less the overlap: a row committed
        #    late, or stamped by a clock slightly behind ours, is still seen.
        state = self._state(stream)
        mark = state.watermark if state is not None else None
        if mark is None:
            if state is None or not state.windows:
                return
            # First change poll: from the oldest window fetch, so nothing changed while
            # the (maybe resumed) date chunks were fetched is missed.
            mark = min(w.fetched_at for w in state.windows)
        end = self._now()
        frm = mark - self.overlap
        while frm < end:
            to = min(end, frm + timedelta(days=31) - timedelta(seconds=1))
            self._task(stream, "changes", path,
                       {**params, "updated_from": _api_instant(frm),
                        "updated_to": _api_instant(to)}, result, resume=False,
                       on_done=partial(_finish_changes, key, to))
            frm = to

    def _windows(self, stream: str, result: StreamResult, window: tuple[date, date],
                 today: date, refresh_all: bool) -> None:
        key = self._key(stream)
        path, params, _ = _ENDPOINTS[stream]
        path = path.format(b=self.branch)
        since = None if refresh_all else self._now() - self.window_max_age
        poll_start = self._now()
        for chunk in _order(month_chunks(*window), today):
            state = self._state(stream)
            if _covered_since(state, chunk, poll_start if refresh_all else since):
                continue

            def done(w: Writer, started: datetime, c: tuple[date, date] = chunk) -> None:
                w.record_window(key, Window(c[0], c[1], started))
                w.finish(key, started)

            self._task(stream, f"dates {chunk[0]}..{chunk[1]}", path,
                       {**params, "from_date": chunk[0].isoformat(),
                        "to_date": chunk[1].isoformat()}, result, window=chunk,
                       on_done=done)


def _record_window(key: StreamKey, chunk: tuple[date, date], w: Writer,
                   started: datetime) -> None:
    w.record_window(key, Window(chunk[0], chunk[1], started))


def _finish_changes(key: StreamKey, to: datetime, w: Writer, started: datetime) -> None:
    # The changes up to ``to`` are in: the watermark and the stream's fetched-at move.
    w.finish(key, to, watermark=to)


def _chain_first(first: Any, rest: Callable[[], Iterable[Any]]) -> Iterable[Any]:
    yield first
    if not first.last:
        yield from rest()


def _order(chunks: list[tuple[date, date]], today: date) -> list[tuple[date, date]]:
    """Newest first: the chunk holding today, the ones after it, then the earlier ones
    (latest first), so a spent budget leaves the least useful data for the next poll."""
    current = [c for c in chunks if c[1] >= today]
    past = [c for c in chunks if c[1] < today]
    return current + past[::-1]


def _api_instant(instant: datetime) -> str:
    """``2026-11-01T12:00:00.000Z``: the form ``updated_from``/``updated_to`` take."""
    return iso_z(instant)[:23] + "Z"
