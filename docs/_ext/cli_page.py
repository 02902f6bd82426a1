"""Sphinx extension: the command-line reference, generated from the program's own parser.

At each build ``docs/reference/cli.md`` is written from ``nerchinsk_map.cli.parser()``: the
help of ``nerchinsk-map`` and of every subcommand (and sub-subcommand), exactly as ``--help``
prints it, so the page cannot drift from the program. Git ignores the page.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator
from pathlib import Path

from sphinx.application import Sphinx


def _commands(parser: argparse.ArgumentParser, path: str) -> Iterator[tuple[str, str]]:
    """(command line, help text) of a parser and of its subcommands, depth first."""
    yield path, parser.format_help()
    for action in parser._actions:  # argparse keeps subparsers only here
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _commands(sub, f"{path} {name}")


def write_page(app: Sphinx) -> None:
    """Write ``reference/cli.md`` when its text changed."""
    from nerchinsk_map.cli import parser

    os.environ.setdefault("COLUMNS", "100")  # argparse wraps help at the terminal's width
    lines = [
        "# Command line", "",
        "`nerchinsk-map` and its subcommands, as `--help` prints them. A problem you can fix is",
        "one line on stderr and exit code 2; Ctrl-C prints `interrupted` and exits 130.", "",
    ]
    seen: set[str] = set()
    for command, text in _commands(parser(), "nerchinsk-map"):
        if command in seen:  # an alias of a subcommand
            continue
        seen.add(command)
        lines += [f"## `{command}`", "", "```text", text.rstrip(), "```", ""]
    page = Path(app.srcdir) / "reference" / "cli.md"
    text = "\n".join(lines)
    if not page.exists() or page.read_text(encoding="utf-8") != text:
        page.write_text(text, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, object]:
    """Register the page writer (before Sphinx looks for documents)."""
    app.connect("builder-inited", write_page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
