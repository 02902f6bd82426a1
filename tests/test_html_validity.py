"""The built map is valid HTML for the Nu HTML Checker (vnu, the W3C validator's engine), run with
Java on the vnu.jar that scripts/setup.sh installs from npm (``vnu-jar``)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT

VNU = Path(os.environ.get("NERCHINSK_VNU", ROOT / ".node" / "node_modules" / "vnu-jar" / "build"
                          / "dist" / "vnu.jar"))


def vnu_messages(path: Path) -> list[dict]:
    """The checker's messages for one HTML file (errors, warnings and notes)."""
    java = shutil.which("java")
    if not java or not VNU.exists():
        pytest.fail(f"the Nu HTML Checker needs java and {VNU}: run scripts/setup.sh "
                    "(Debian's default-jre-headless, npm's vnu-jar)")
    result = subprocess.run([java, "-jar", str(VNU), "--format", "json", "--stdout", str(path)],
                            capture_output=True, text=True, timeout=300)
    return json.loads(result.stdout)["messages"]


def errors(messages: list[dict]) -> list[str]:
    return [f"line {m.get('lastLine')}: {m['message']}" for m in messages
            if m["type"] == "error" or m.get("subType") == "fatal"]


def test_the_checker_reports_errors(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html lang="en"><head><title>t</title>'
                   "<style>p { font: 12px/1 inherit; }</style></head><body></body>"
                   "<script></script></html>", encoding="utf-8")
    assert len(errors(vnu_messages(bad))) == 2


def test_the_map_has_no_html_or_css_errors(built_map):
    assert errors(vnu_messages(built_map)) == []
