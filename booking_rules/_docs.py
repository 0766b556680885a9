"""The rule reference, generated from the rule docstrings (docs/rules/*.md and
``booking-rules rules``), so the two can never disagree."""

from __future__ import annotations

import json
from pathlib import Path

from .core.codes import CodeTable
from .core.rule import Rule

HEADER = ("<!-- Generated from the rule's docstring by `booking-rules rules --write-docs "
          "docs/rules`. Do not edit. -->\n")


def _kind(rule: Rule, table: CodeTable) -> str:
    if table.is_api(rule):
        return f"{table.display} API code"
    if rule.notice:
        return "engine notice (raised while reading input)"
    return f"engine code (not sent by {table.display})"


def render_rule(rule: Rule, table: CodeTable) -> str:
    """A rule's page under one platform's code."""
    code = table.code_of(rule)
    body = rule.doc.strip().split("\n", 1)
    rest = body[1].strip() if len(body) > 1 else ""
    rows = [
        ("Code", f"`{code}`"),
        ("Kind", _kind(rule, table)),
        ("Default severity", rule.severity),
        ("Applies to", "online bookings only" if rule.online_only else "every booking"),
        ("Module", f"`{rule.module}`"),
    ]
    for key, opt in rule.options.items():
        rows.append((f"Option `{key}`", f"default `{json.dumps(opt.default)}`: {opt.doc}"))
    grid = "| | |\n|---|---|\n" + "\n".join(f"| {k} | {v} |" for k, v in rows)
    return f"# {code}\n\n{rule.summary}\n\n{grid}\n\n{rest}\n"


_EXAMPLES_NOTE = ("The examples on each page are checked against the example salon "
                  "(`docs/examples/queen_st_toronto.json`) at now = 2026-11-01T12:00:00Z by "
                  "the test suite.")


def render_index(table: CodeTable, note: str | None = None) -> str:
    """The index page; ``note`` says where the pages' examples run (a platform's own)."""
    lines = ["# Rule reference", "",
             "Every rule the engine runs, generated from the rule docstrings. "
             + (note or _EXAMPLES_NOTE), "",
             "| code | kind | severity | what it catches |", "|---|---|---|---|"]
    for code, r in table.by_code().items():
        kind = table.display if table.is_api(r) else ("notice" if r.notice else "engine")
        lines.append(f"| [`{code}`]({code}.md) | {kind} | {r.severity} | {r.summary} |")
    return "\n".join(lines) + "\n"


def expected_files(table: CodeTable, note: str | None = None) -> dict[str, str]:
    files = {f"{code}.md": HEADER + render_rule(r, table)
             for code, r in table.by_code().items()}
    files["README.md"] = HEADER + render_index(table, note)
    return files


def write_docs(directory: Path, table: CodeTable, note: str | None = None) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    files = expected_files(table, note)
    for old in directory.glob("*.md"):
        if old.name not in files:
            old.unlink()
    written = []
    for name, text in files.items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def stale_docs(directory: Path, table: CodeTable, note: str | None = None) -> list[str]:
    """Names of pages that are missing, differ from the docstrings, or have no rule."""
    files = expected_files(table, note)
    stale = [n for n, text in files.items()
             if not (directory / n).exists()
             or (directory / n).read_text(encoding="utf-8") != text]
    stale += [p.name for p in directory.glob("*.md") if p.name not in files]
    return sorted(stale)
