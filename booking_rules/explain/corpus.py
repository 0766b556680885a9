"""Corpus mode: explain every logged API error of a folder and measure how often the
check's predicted code was the code the API answered (docs/explain.md, "Corpus mode").

One folder per entry with ``snapshot.json``, ``request.json``, ``response.json`` or
``response.txt``, and an optional ``meta.json``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from .._errors import InputError
from .._time import parse_instant
from ..core.report import SCHEMA_VERSION
from ..core.ruleset import Ruleset
from .diagnose import explain
from .explanation import DIAGNOSES, RULE_DIAGNOSES, Explanation
from .platform import ExplainPlatform
from .words import count

NONE = "none"
PASS = "PASS"


@dataclass(frozen=True)
class CorpusEntry:
    """One logged API error, explained."""

    name: str
    explanation: Explanation
    predicted: str | None  # Report.predicted_api_code
    verdict: str

    @property
    def api_code(self) -> str | None:
        return self.explanation.code

    @property
    def row(self) -> str:
        return self.api_code or NONE

    @property
    def column(self) -> str:
        if self.predicted:
            return self.predicted
        return PASS if self.verdict == "PASS" else NONE

    @property
    def scored(self) -> bool:
        """Scored when the API answered one of the codes it answers for a rule."""
        return self.explanation.diagnosis in RULE_DIAGNOSES

    @property
    def matched(self) -> bool | None:
        return (self.predicted == self.api_code) if self.scored else None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.explanation.status,
                "apiCode": self.api_code, "predicted": self.predicted,
                "verdict": self.verdict, "diagnosis": self.explanation.diagnosis,
                "scored": self.scored, "matched": self.matched}


@dataclass(frozen=True)
class CorpusReport:
    """How often the check's predicted code was the code the API answered."""

    directory: str
    entries: tuple[CorpusEntry, ...]
    platform: str = ""  # as reports name it: "Phorest"
    api_codes: tuple[str, ...] = ()  # the codes the platform's API answers, in table order

    @property
    def rows(self) -> list[str]:
        return self._order({e.row for e in self.entries})

    @property
    def columns(self) -> list[str]:
        return self._order({e.column for e in self.entries})

    def _order(self, labels: set[str]) -> list[str]:
        """The API's codes in table order, then other codes sorted, then PASS, none."""
        known = [c for c in self.api_codes if c in labels]
        other = sorted(labels - set(self.api_codes) - {PASS, NONE})
        return known + other + [x for x in (PASS, NONE) if x in labels]

    @property
    def confusion(self) -> dict[str, dict[str, int]]:
        """counts[API code][predicted code, or PASS / none]; only non-zero cells."""
        out: dict[str, dict[str, int]] = {r: {} for r in self.rows}
        for e in self.entries:
            out[e.row][e.column] = out[e.row].get(e.column, 0) + 1
        return {r: {c: cells[c] for c in self.columns if c in cells}
                for r, cells in out.items()}

    @property
    def scored(self) -> int:
        return sum(e.scored for e in self.entries)

    @property
    def matched(self) -> int:
        return sum(bool(e.matched) for e in self.entries)

    @property
    def accuracy(self) -> float | None:
        return self.matched / self.scored if self.scored else None

    @property
    def diagnoses(self) -> dict[str, int]:
        counts = {d: 0 for d in DIAGNOSES}
        for e in self.entries:
            counts[e.explanation.diagnosis] = counts.get(e.explanation.diagnosis, 0) + 1
        return {d: n for d, n in counts.items() if n}

    def to_dict(self) -> dict[str, Any]:
        return {"schemaVersion": SCHEMA_VERSION,
                "directory": self.directory, "entries": [e.to_dict() for e in self.entries],
                "confusion": {"rows": self.rows, "columns": self.columns,
                              "counts": self.confusion},
                "scored": self.scored, "matched": self.matched, "accuracy": self.accuracy,
                "diagnoses": self.diagnoses}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_text(self) -> str:
        n = len(self.entries)
        lines = [f"Corpus {self.directory}: {n} entr{'y' if n == 1 else 'ies'}, "
                 f"{self.scored} scored (the API answered one of {self.platform}'s "
                 f"{count(len(self.api_codes))} codes)"]
        if self.accuracy is None:
            lines.append("No entry could be scored.")
        else:
            lines.append(f"The predicted code was the API's in {self.matched} of "
                         f"{self.scored}: accuracy {self.accuracy:.1%}")
        lines += ["", "Rows: the API's code; columns: the predicted code (PASS: the check "
                  f"passed; none: no {self.platform} code predicted).", ""]
        cols = self.columns
        head = "API code \\ predicted"
        first = max(len(head), *(len(r) for r in self.rows))
        widths = [max(len(c), 1) for c in cols]
        lines.append("  ".join([head.ljust(first), *(c.ljust(w) for c, w in zip(
            cols, widths, strict=True))]).rstrip())
        table = self.confusion
        for r in self.rows:
            cells = [str(table[r].get(c, ".")).ljust(w) for c, w in zip(cols, widths,
                                                                          strict=True)]
            lines.append("  ".join([r.ljust(first), *cells]).rstrip())
        lines += ["", "Entries:"]
        name_w = max(len(e.name) for e in self.entries) if self.entries else 0
        for e in self.entries:
            mark = "not scored" if not e.scored else ("match" if e.matched else "MISS")
            st = str(e.explanation.status) if e.explanation.status is not None else "-"
            lines.append(f"  {e.name.ljust(name_w)}  {st:>3}  API {e.row}, predicted "
                         f"{e.column}: {e.explanation.diagnosis}, {mark}")
        diag = ", ".join(f"{d} {k}" for d, k in self.diagnoses.items())
        lines += ["", f"Diagnoses: {diag}" if diag else "Diagnoses: none"]
        return "\n".join(lines) + "\n"


def explain_corpus(directory: str | Path, *, platform: ExplainPlatform,
                   ruleset: str | Path | Ruleset, now: datetime | None = None
                   ) -> CorpusReport:
    """Explain every entry of a corpus of logged API errors.

    ``now`` per entry: ``meta.json``'s ``now``, else this ``now``, else the snapshot's
    ``coverage.fetchedAt``; with none of them the entry is an InputError naming it.
    """
    root = Path(directory)
    if not root.is_dir():
        raise InputError(str(root), "", "a corpus directory: one folder per entry holding "
                         "snapshot.json, request.json and response.json or response.txt")
    folders = sorted(p for p in root.iterdir()
                     if p.is_dir() and not p.name.startswith((".", "_")))
    if not folders:
        raise InputError(str(root), "", "at least one entry folder holding snapshot.json, "
                         "request.json and response.json or response.txt")
    if now is not None and now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    entries = tuple(_entry(p, platform, now, ruleset) for p in folders)
    table = platform.table
    return CorpusReport(str(directory), entries, table.display, table.api_codes)


def _entry(folder: Path, platform: ExplainPlatform, now: datetime | None,
           ruleset: str | Path | Ruleset) -> CorpusEntry:
    snap_path = folder / "snapshot.json"
    if not snap_path.is_file():
        raise InputError(str(folder), "snapshot.json", "the snapshot the request was checked "
                         "against (snapshot.json)")
    request_path = folder / "request.json"
    request = _read_json(request_path)
    response_path = next((p for p in (folder / "response.json", folder / "response.txt")
                          if p.is_file()), None)
    if response_path is None:
        raise InputError(str(folder), "response.json", "the raw response body, in "
                         "response.json or response.txt")
    body = load_error(response_path)
    meta = _meta(folder / "meta.json")
    snap = platform.load_snapshot(snap_path)
    when = meta.now or now or snap.coverage.fetched_at
    if when is None:
        raise InputError(str(folder), "meta.json: now", "the instant the request was sent: "
                         "`now` in meta.json, or a snapshot with coverage.fetchedAt")
    ex = explain(body, request, snap, platform=platform, status=meta.status, now=when,
                 online=meta.online, ruleset=ruleset, request_source=str(request_path))
    report = ex.report
    assert report is not None
    return CorpusEntry(folder.name, ex, report.predicted_api_code, report.verdict)


def load_error(path: str | Path) -> bytes:
    """A logged response body, raw (it may be malformed: ``explain`` reads any form), or
    an InputError naming the file when it cannot be read."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(str(path), "", "an existing file (the raw response body)") from None
    except OSError as exc:
        raise InputError(str(path), "", f"a readable file ({exc.__class__.__name__})"
                         ) from None


@dataclass(frozen=True)
class _Meta:
    status: int | None = None
    now: datetime | None = None
    online: bool = False


def _meta(path: Path) -> _Meta:
    if not path.exists():
        return _Meta()
    doc = _read_json(path)
    if not isinstance(doc, dict):
        raise InputError(str(path), "", "a JSON object: {\"status\", \"now\", \"online\"}")
    unknown = sorted(set(doc) - {"status", "now", "online"})
    if unknown:
        raise InputError(str(path), unknown[0], "only the keys status, now and online")
    status = _status_of(doc.get("status"))
    if doc.get("status") is not None and status is None:
        raise InputError(str(path), "status", "an HTTP status code such as 400",
                         doc["status"])
    when = None
    if doc.get("now") is not None:
        try:
            when = parse_instant(str(doc["now"]))[0]
        except ValueError:
            raise InputError(str(path), "now", "an ISO-8601 instant such as "
                             "2026-12-01T14:00:00Z", doc["now"]) from None
    online = doc.get("online", False)
    if not isinstance(online, bool):
        raise InputError(str(path), "online", "true or false", online)
    return _Meta(status, when, online)


def _status_of(value: object) -> int | None:
    """An HTTP status as meta.json may give it: 400 or "400"."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and 100 <= value <= 599:
        return value
    if isinstance(value, str) and value.strip().isdigit() and 100 <= int(value) <= 599:
        return int(value)
    return None


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(str(path), "", "an existing file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), "", f"a readable UTF-8 file ({exc.__class__.__name__})"
                         ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(str(path), f"line {exc.lineno} column {exc.colno}",
                         f"valid JSON ({exc.msg})") from None
