"""The rule reference, generated from the rule docstrings (docs/rules/*.md and
``booking-rules rules``), so the two can never disagree."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from .core.rule import Rule

HEADER = ("<!-- Generated from the rule's docstring by `booking-rules rules --write-docs "
          "docs/rules`. Do not edit. -->\n")


def _kind(rule: Rule) -> str:
    if rule.phorest:
        return "Phorest API code"
    if rule.notice:
        return "engine notice (raised while reading input)"
    return "engine code (not sent by Phorest)"


def render_rule(rule: Rule) -> str:
    body = rule.doc.strip().split("\n", 1)
    rest = body[1].strip() if len(body) > 1 else ""
    rows = [
        ("Code", f"`{rule.code}`"),
        ("Kind", _kind(rule)),
        ("Default severity", rule.severity),
        ("Applies to", "online bookings only" if rule.online_only else "every booking"),
        ("Module", f"`{rule.module}`"),
    ]
    for key, opt in rule.options.items():
        rows.append((f"Option `{key}`", f"default `{json.dumps(opt.default)}`: {opt.doc}"))
    table = "| | |\n|---|---|\n" + "\n".join(f"| {k} | {v} |" for k, v in rows)
    return f"# {rule.code}\n\n{rule.summary}\n\n{table}\n\n{rest}\n"


def render_index(rules: Iterable[Rule]) -> str:
    lines = ["# Rule reference", "",
             "Every rule the engine runs, generated from the rule docstrings. The examples "
             "on each page are checked against the example salon "
             "(`docs/examples/queen_st_toronto.json`) at now = 2026-11-01T12:00:00Z by the "
             "test suite.", "",
             "| code | kind | severity | what it catches |", "|---|---|---|---|"]
    for r in rules:
        kind = "Phorest" if r.phorest else ("notice" if r.notice else "engine")
        lines.append(f"| [`{r.code}`]({r.code}.md) | {kind} | {r.severity} | {r.summary} |")
    return "\n".join(lines) + "\n"


def expected_files(rules: Iterable[Rule]) -> dict[str, str]:
    rules = list(rules)
    files = {f"{r.code}.md": HEADER + render_rule(r) for r in rules}
    files["README.md"] = HEADER + render_index(rules)
    return files


def write_docs(directory: Path, rules: Iterable[Rule]) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    files = expected_files(rules)
    for old in directory.glob("*.md"):
        if old.name not in files:
            old.unlink()
    written = []
    for name, text in files.items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def stale_docs(directory: Path, rules: Iterable[Rule]) -> list[str]:
    """Names of pages that are missing, differ from the docstrings, or have no rule."""
    files = expected_files(rules)
    stale = [n for n, text in files.items()
             if not (directory / n).exists()
             or (directory / n).read_text(encoding="utf-8") != text]
    stale += [p.name for p in directory.glob("*.md") if p.name not in files]
    return sorted(stale)
