"""The docs stand on their own: a user with this repository never needs a file outside it,
and never reads an instruction to import a private module (they move without notice)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import ROOT

# What a user reads: the README and every text file under docs/ (pages and examples).
DOC_FILES = sorted([ROOT / "README.md", *(p for p in (ROOT / "docs").rglob("*")
                                          if p.is_file() and p.suffix in {".md", ".json",
                                                                           ".toml", ".txt"})])

# The one sentence allowed to name a place outside the repository. CI (`.ci/run`), not a
# user, reads it: it says where CI finds the shared acceptance cases of the project's
# development checkout. Nothing a user does depends on that folder.
ALLOWED = (
    "CI (`.ci/run`) runs exactly these two commands, read from this file, on a clean clone, "
    "then every acceptance case in `../shared/cases/phorest` through the CLI.",
)

# The development folder beside the repository, and the files that live only there.
OUTSIDE = re.compile(r"\.\./shared|shared/cases|shared/design|shared/reference|/work/"
                     r"|\bFORMAT\.md|phorest_api\.md|pne_api\.md|seeds/")
# A relative path climbing out of its folder: `../x`, but not the `GET .../x` of an API path.
CLIMB = re.compile(r"(?<![.\w/])(\.\./[^\s`'\")\]<>]*)")
# A Markdown link or an HTML href, with its target.
LINK = re.compile(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)|href=\"([^\"]+)\"")
PRIVATE = re.compile(
    r"booking_rules(?:\.[a-z]\w*)*\._[a-z]\w*"  # booking_rules._x, booking_rules.rules._x
    r"|from\s+booking_rules(?:\.\w+)*\s+import\s+(?:\(\s*)?_[a-z]\w*"  # from ... import _x
)


def _text(path: Path) -> str:
    """The file with its line breaks folded, so a sentence wrapped over lines reads whole,
    minus the allowed sentence."""
    text = " ".join(path.read_text(encoding="utf-8").split())
    for sentence in ALLOWED:
        text = text.replace(sentence, "")
    return text


def _inside(path: Path) -> bool:
    return path.resolve().is_relative_to(ROOT)


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_the_scan_sees_the_readme_and_the_docs() -> None:
    names = {_name(p) for p in DOC_FILES}
    assert {"README.md", "docs/snapshot-format.md", "docs/rulesets.md",
            "docs/decisions.md", "docs/rules/README.md"} <= names


@pytest.mark.parametrize("path", DOC_FILES, ids=_name)
def test_no_doc_names_the_folder_outside_the_repository(path: Path) -> None:
    found = [m.group(0) for m in OUTSIDE.finditer(_text(path))]
    assert found == [], f"{_name(path)} points outside the repository: {found}"


@pytest.mark.parametrize("path", DOC_FILES, ids=_name)
def test_every_relative_path_climbing_out_stays_inside_and_exists(path: Path) -> None:
    bad = []
    for m in CLIMB.finditer(_text(path)):
        target = m.group(1).split("#")[0].rstrip(".,;:")
        resolved = path.parent / target
        if not (_inside(resolved) and resolved.exists()):
            bad.append(m.group(1))
    assert bad == [], f"{_name(path)} names paths outside the repository: {bad}"


@pytest.mark.parametrize("path", DOC_FILES, ids=_name)
def test_every_link_is_a_url_an_anchor_or_a_file_of_the_repository(path: Path) -> None:
    bad = []
    for m in LINK.finditer(_text(path)):
        target = m.group(1) or m.group(2)
        if re.match(r"[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            continue  # a URL (https:, mailto:) or an anchor on the same page
        resolved = path.parent / target.split("#")[0]
        if not (_inside(resolved) and resolved.exists()):
            bad.append(target)
    assert bad == [], f"{_name(path)} links to what the repository does not hold: {bad}"


@pytest.mark.parametrize("path", DOC_FILES, ids=_name)
def test_no_doc_tells_a_user_to_import_a_private_module(path: Path) -> None:
    found = [m.group(0) for m in PRIVATE.finditer(_text(path))]
    assert found == [], (f"{_name(path)} names private modules {found}: use the public "
                         "face (`import booking_rules as br`) or the command line")


def test_every_rules_md_section_cited_is_in_decisions_md() -> None:
    """Rule pages cite the design contract as ``RULES.md §N``; docs/decisions.md carries
    its decisions under the same section numbers, so each citation resolves in the repo."""
    decisions = (ROOT / "docs" / "decisions.md").read_text(encoding="utf-8")
    held = set(re.findall(r"^#+ .*?§(\d+)", decisions, flags=re.M))
    cited: dict[str, set[str]] = {}
    for path in DOC_FILES:
        for section in re.findall(r"RULES\.md,? §(\d+)", _text(path)):
            cited.setdefault(section, set()).add(_name(path))
    assert cited, "the scan found no citation at all: the pattern no longer matches"
    missing = {s: sorted(files) for s, files in cited.items() if s not in held}
    assert missing == {}, f"cited, but docs/decisions.md has no such section: {missing}"
