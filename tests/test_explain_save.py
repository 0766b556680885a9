"""explain --save DIR (issue 13 item 7): each refusal kept as a corpus entry in the layout
explain --corpus reads, with a snapshot trimmed to what the rules read for that request
(verified to explain the same) or a reference to it; and explain's exit code by diagnosis."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import booking_rules as br
from booking_rules.cli import main

from .conftest import EXAMPLE_SALON, ROOT

EXAMPLES = ROOT / "docs" / "examples"
REQUEST = EXAMPLES / "requests" / "lisa_double_booked.json"
ERROR = EXAMPLES / "errors" / "staff_double_booked.json"
NOW = "2026-11-01T12:00:00Z"
CORPUS = ROOT / "tests" / "data" / "corpus"


def _explain(*extra: str, snapshot: Path = EXAMPLE_SALON, request: Path = REQUEST,
             error: Path = ERROR) -> int:
    return main(["explain", "--snapshot", str(snapshot), "--request", str(request),
                 "--error", str(error), "--now", NOW, *extra])


def _entry(root: Path) -> Path:
    [entry] = [p for p in root.iterdir() if p.is_dir()]
    return entry


def test_save_writes_a_trimmed_entry_the_corpus_reads_alike(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _explain("--save", str(tmp_path / "corpus")) == 0
    err = capsys.readouterr().err
    entry = _entry(tmp_path / "corpus")
    assert entry.name == "01_confirmed_staff_double_booked"
    assert "verified to explain the same" in err
    assert sorted(p.name for p in entry.iterdir()) == [
        "meta.json", "request.json", "response.json", "snapshot.json"]
    assert json.loads((entry / "request.json").read_text()) == json.loads(REQUEST.read_text())
    assert (entry / "response.json").read_bytes() == ERROR.read_bytes()  # raw, as received
    assert json.loads((entry / "meta.json").read_text()) == {"now": NOW, "online": False}
    trimmed = json.loads((entry / "snapshot.json").read_text())
    whole = json.loads(EXAMPLE_SALON.read_text())
    # Only the request's days (with a day's margin) and its client: coverage says so.
    assert trimmed["coverage"] == {"from": "2026-11-30", "to": "2026-12-02"}
    assert {s["date"] for t in trimmed["workTimeTables"] for s in t["timeSlots"]} <= {
        "2026-11-30", "2026-12-01", "2026-12-02"}
    assert len(trimmed["breaks"]) < len(whole["breaks"])
    assert [c["clientId"] for c in trimmed["clients"]] == ["cli_new"]  # the request's only
    assert len(whole["clients"]) > 1
    # explain --corpus on the entry gives what the whole snapshot gave.
    report = br.explain_corpus(tmp_path / "corpus")
    assert [(e.explanation.diagnosis, e.api_code, e.predicted) for e in report.entries] == [
        ("confirmed", "STAFF_DOUBLE_BOOKED", "STAFF_DOUBLE_BOOKED")]


def test_trimming_is_verified_on_the_example_corpus(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    # Every entry of the example corpus, saved again: each trimmed copy explains it as its
    # whole snapshot does, or the whole one is kept (never a different answer).
    for folder in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        response = folder / "response.json"
        if not response.exists():
            response = folder / "response.txt"
        meta: dict[str, Any] = json.loads((folder / "meta.json").read_text()) if (
            folder / "meta.json").exists() else {}
        argv = ["explain", "--snapshot", str(folder / "snapshot.json"), "--request",
                str(folder / "request.json"), "--error", str(response), "--now",
                meta.get("now", NOW), "--save", str(tmp_path / "again")]
        if meta.get("status"):
            argv += ["--status", str(meta["status"])]
        if meta.get("online"):
            argv += ["--online"]
        main(argv)
    capsys.readouterr()
    before = br.explain_corpus(CORPUS)
    after = br.explain_corpus(tmp_path / "again")
    assert [(e.explanation.diagnosis, e.api_code, e.predicted, e.verdict)
            for e in after.entries] == [
        (e.explanation.diagnosis, e.api_code, e.predicted, e.verdict) for e in before.entries]


def test_save_by_reference_and_by_copy(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                       ) -> None:
    assert _explain("--save", str(tmp_path / "c"), "--save-snapshot", "link") == 0
    assert _explain("--save", str(tmp_path / "c"), "--save-snapshot", "copy") == 0
    capsys.readouterr()
    first, second = sorted(p for p in (tmp_path / "c").iterdir())
    assert first.name.startswith("01_") and second.name.startswith("02_")
    assert (first / "snapshot.json").is_symlink()
    assert (first / "snapshot.json").resolve() == EXAMPLE_SALON.resolve()
    assert (second / "snapshot.json").read_bytes() == EXAMPLE_SALON.read_bytes()


def test_a_body_that_is_not_json_is_kept_as_text(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    body = tmp_path / "error.html"
    body.write_text("<html><title>502 Bad Gateway</title></html>")
    assert _explain("--error", str(body), "--status", "502", "--save",
                    str(tmp_path / "c")) == 6  # not-a-rule-code
    capsys.readouterr()
    entry = _entry(tmp_path / "c")
    assert entry.name == "01_not_a_rule_code_no_code"
    assert (entry / "response.txt").read_bytes() == body.read_bytes()
    assert json.loads((entry / "meta.json").read_text())["status"] == 502


def test_save_with_the_snapshot_from_stdin(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "booking_rules.cli", "explain", "--snapshot", "-",
         "--request", str(REQUEST), "--error", str(ERROR), "--now", NOW, "--save",
         str(tmp_path / "c")], input=EXAMPLE_SALON.read_bytes(), capture_output=True,
        timeout=60, check=False, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    trimmed = json.loads((_entry(tmp_path / "c") / "snapshot.json").read_text())
    assert trimmed["coverage"]["from"] == "2026-11-30"


@pytest.mark.parametrize(("entry", "code"), [
    ("01_confirmed_staff_double_booked", 0),
    ("02_stale_cache_staff_double_booked", 4),  # not-reproduced
])
def test_exit_code_by_diagnosis(entry: str, code: int, capsys: pytest.CaptureFixture[str]
                                ) -> None:
    folder = CORPUS / entry
    meta = json.loads((folder / "meta.json").read_text()) if (
        folder / "meta.json").exists() else {}
    assert main(["explain", "--snapshot", str(folder / "snapshot.json"), "--request",
                 str(folder / "request.json"), "--error", str(folder / "response.json"),
                 "--now", meta.get("now", NOW)]) == code
    capsys.readouterr()


def test_every_diagnosis_has_a_documented_exit_code() -> None:
    from booking_rules.cli.explain import DIAGNOSIS_EXIT, EXITS
    from booking_rules.explain import DIAGNOSES

    assert set(DIAGNOSIS_EXIT) == set(DIAGNOSES)
    page = (ROOT / "docs" / "explain.md").read_text()
    for diagnosis, code in DIAGNOSIS_EXIT.items():
        assert f"  {code}    {diagnosis}:" in EXITS
        assert f"| {code} | `{diagnosis}` |" in page
