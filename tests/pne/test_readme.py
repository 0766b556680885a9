"""The README's PNE section shows a real run: its command, run, prints its text block."""

from __future__ import annotations

import os
import re
import shlex

import pytest

from booking_rules.cli import main

from .location import ROOT


def test_the_readme_pne_example_is_what_the_command_prints(
        capsys: pytest.CaptureFixture[str]) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## PatientNow Essentials and VISH"):]
    command = re.search(r"```sh\n(.*?)\n```", section, flags=re.S)
    shown = re.search(r"```text\n(.*?)```", section, flags=re.S)
    assert command is not None and shown is not None
    argv = shlex.split(command.group(1))
    assert argv[0].endswith("booking-rules")
    old = os.getcwd()
    os.chdir(ROOT)
    try:
        code = main(argv[1:])
    finally:
        os.chdir(old)
    out = capsys.readouterr().out
    assert code == 1
    assert out == shown.group(1)
