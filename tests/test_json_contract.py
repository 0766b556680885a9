"""JSON output as a contract (issue 13 item 5): every JSON example in the docs validates
against its schema in docs/schemas/ and is what the command prints today; the real
outputs of check, slots, explain and explain --corpus validate in every shape they take;
and one naming style (camelCase) holds across them."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import booking_rules as br
from booking_rules.cli import main

from .conftest import EXAMPLE_SALON, ROOT

SCHEMAS = {p.name.removesuffix(".schema.json"): json.loads(p.read_text())
           for p in (ROOT / "docs" / "schemas").glob("*.schema.json")}
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
# An example the suite checks: a marker naming its schema, the ```json block after it, and
# the command that prints it in the ```sh block before the marker.
MARKED = re.compile(r"```sh\n(?P<cmd>[^`]*?)```\s*<!-- json-output: (?P<name>\w+) -->\s*"
                    r"```json\n(?P<json>.*?)```", re.S)
NOW = "2026-11-01T12:00:00Z"


def _validate(name: str, doc: Any) -> None:
    jsonschema.Draft202012Validator(SCHEMAS[name]).validate(doc)


def _examples() -> list[tuple[str, str, str, str]]:
    out = []
    for path in DOCS:
        for m in MARKED.finditer(path.read_text(encoding="utf-8")):
            out.append((str(path.relative_to(ROOT)), m["name"], m["cmd"], m["json"]))
    return out


EXAMPLES = _examples()


def test_the_schemas_are_valid_json_schemas() -> None:
    assert set(SCHEMAS) == {"check", "slots", "explain", "corpus"}
    for schema in SCHEMAS.values():
        jsonschema.Draft202012Validator.check_schema(schema)


def test_every_output_has_an_example() -> None:
    assert {name for _, name, _, _ in EXAMPLES} >= {"check", "slots", "explain"}


def test_every_json_output_example_in_the_docs_is_checked() -> None:
    # A JSON block holding a schemaVersion is an output example: it must carry a marker.
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        blocks = re.findall(r"```json\n(.*?)```", text, re.S)
        marked = {m["json"] for m in MARKED.finditer(text)}
        for block in blocks:
            if '"schemaVersion"' in block:
                assert block in marked, f"{path.name}: an unchecked output example"


@pytest.mark.parametrize(("page", "name", "cmd", "block"), EXAMPLES,
                         ids=[f"{p}:{n}" for p, n, _, _ in EXAMPLES])
def test_each_example_validates_and_is_what_the_command_prints(
        page: str, name: str, cmd: str, block: str, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    example = json.loads(block)
    _validate(name, example)
    monkeypatch.chdir(ROOT)
    argv = shlex.split(cmd.replace("\\\n", " "))
    assert argv[0] == "booking-rules"
    main(argv[1:])
    assert json.loads(capsys.readouterr().out) == example


# --- the real outputs, in each shape they take ----------------------------------------


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    main([*argv, "--format", "json"])
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("request_file", sorted(
    (ROOT / "docs" / "examples" / "requests").glob("*.json")), ids=lambda p: p.stem)
def test_check_outputs_validate(request_file: Path, capsys: pytest.CaptureFixture[str]
                                ) -> None:
    _validate("check", _json(capsys, "check", "--snapshot", str(EXAMPLE_SALON), "--request",
                             str(request_file), "--now", NOW))


def test_an_unknown_report_with_a_snapshot_age_validates(tmp_path: Path) -> None:
    doc = json.loads(EXAMPLE_SALON.read_text())
    doc["coverage"] = {"from": "2026-12-01", "to": "2026-12-01",
                       "fetchedAt": "2026-11-01T11:00:00Z"}
    body = {"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
        {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-02T15:00:00Z"}
    ]}]}
    report = br.check(br.load_snapshot(doc), body, now=br.load_snapshot(doc).coverage
                      .fetched_at.replace(hour=12))  # type: ignore[union-attr]
    out = report.to_dict()
    assert out["verdict"] == "UNKNOWN" and out["snapshot"]["ageSeconds"] == 3600
    _validate("check", out)


@pytest.mark.parametrize("extra", [
    ["--service", "svc_cut"],
    ["--service", "svc_cut", "--service", "svc_blowdry", "--client", "cli_new"],  # a chain
    ["--service", "svc_laser"],  # rooms and machines
    ["--service", "svc_toner"],  # blockers
    ["--service", "svc_cut", "--to", "2027-02-02T00:00:00Z",
     "--from", "2027-01-29T14:00:00Z"],  # undecided
])
def test_slots_outputs_validate(extra: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    args = {"--from": "2026-12-01T14:00:00Z", "--to": "2026-12-01T23:00:00Z"}
    rest = []
    i = 0
    while i < len(extra):
        if extra[i] in args:
            args[extra[i]] = extra[i + 1]
        else:
            rest += extra[i:i + 2]
        i += 2
    doc = _json(capsys, "slots", "--snapshot", str(EXAMPLE_SALON), "--now", NOW, *rest,
                *[x for kv in args.items() for x in kv])
    _validate("slots", doc)


def test_explain_outputs_validate_for_every_corpus_entry(capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    corpus = ROOT / "tests" / "data" / "corpus"
    seen = set()
    for entry in sorted(p for p in corpus.iterdir() if p.is_dir()):
        response = entry / "response.json"
        if not response.exists():
            response = entry / "response.txt"
        meta = json.loads((entry / "meta.json").read_text()) if (
            entry / "meta.json").exists() else {}
        argv = ["explain", "--snapshot", str(entry / "snapshot.json"), "--request",
                str(entry / "request.json"), "--error", str(response), "--now",
                meta.get("now", NOW)]
        if meta.get("status"):
            argv += ["--status", str(meta["status"])]
        doc = _json(capsys, *argv)
        _validate("explain", doc)
        seen.add(doc["diagnosis"])
    assert len(seen) >= 3
    _validate("corpus", _json(capsys, "explain", "--corpus", str(corpus)))


# Maps keyed by data (codes, diagnoses), and the request bodies and the response quoted
# as they were: their keys are not names this library chose.
DATA_KEYED = {"counts", "diagnoses", "body", "response"}


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for key, v in value.items() if key not in DATA_KEYED
                             for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_one_naming_style_across_the_outputs(capsys: pytest.CaptureFixture[str]) -> None:
    outputs = [
        _json(capsys, "check", "--snapshot", str(EXAMPLE_SALON), "--request",
              str(ROOT / "docs/examples/requests/mary_two_services.json"), "--now", NOW),
        _json(capsys, "slots", "--snapshot", str(EXAMPLE_SALON), "--service", "svc_laser",
              "--from", "2026-12-01T14:00:00Z", "--to", "2026-12-01T17:00:00Z", "--now", NOW),
        _json(capsys, "explain", "--corpus", str(ROOT / "tests" / "data" / "corpus")),
        *(json.loads(block) for _, _, _, block in EXAMPLES),
    ]
    for out in outputs:
        for key in _keys(out):
            assert re.fullmatch(r"[a-z][a-zA-Z0-9]*", key), key  # camelCase
