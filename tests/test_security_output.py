"""Special output files stay untouched: a device, FIFO, socket or folder as ``--output`` gets
one line and exit 2; a read-only folder or a failed write names the user's path; a symbolic
link is written through to its target; Ctrl-C leaves nothing half-written."""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest
from conftest import cli

import nerchinsk_map as nm
from nerchinsk_map import cli as cli_module
from nerchinsk_map.errors import OutputError


def one_error_line(result, *fragments: str) -> str:
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("nerchinsk-map: error: "), result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0]
    return lines[0]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("command", [["build", "--layers", "places"], ["figure", "--layers", "places"]])
def test_a_fifo_as_output_is_refused_and_stays(tmp_path, command):
    fifo = tmp_path / ("out.png" if command[0] == "figure" else "out.html")
    os.mkfifo(fifo)
    result = cli(*command, "--output", str(fifo))
    one_error_line(result, str(fifo), "FIFO")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert leftovers(tmp_path) == []


def test_a_socket_as_output_is_refused(tmp_path):
    folder = Path(tempfile.mkdtemp(dir="/tmp"))  # a short path: AF_UNIX names are limited to 108 bytes
    path = folder / "s.html"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        one_error_line(cli("build", "--layers", "places", "--output", str(path)), str(path), "socket")
        assert stat.S_ISSOCK(os.stat(path).st_mode)
    finally:
        server.close()
        shutil.rmtree(folder)


def test_a_device_as_output_is_refused():
    before = os.stat("/dev/null")
    one_error_line(cli("build", "--layers", "places", "--output", "/dev/null"), "/dev/null", "character device")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_a_folder_as_output_names_the_users_path(tmp_path):
    folder = tmp_path / "maps"
    folder.mkdir()
    one_error_line(cli("build", "--layers", "places", "--output", str(folder)), str(folder), "is a folder")
    assert list(folder.iterdir()) == []


def test_a_file_as_parent_folder_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("keep", encoding="utf-8")
    target = tmp_path / "notes.txt" / "map.html"
    one_error_line(cli("build", "--layers", "places", "--output", str(target)), str(target), "not a folder")
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "keep"


def as_unprivileged(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the command line as ``nobody`` when the tests run as root (root may write anywhere)."""
    exe = shutil.which("nerchinsk-map", path=str(Path(os.sys.executable).parent))
    command = [exe, *args]
    if os.geteuid() == 0:
        command = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", *command]
    env = {**os.environ, "HOME": "/tmp", "MPLCONFIGDIR": "/tmp"}
    return subprocess.run(command, capture_output=True, text=True, timeout=300, env=env, cwd="/")


@pytest.fixture()
def read_only_folder():
    """A folder with an earlier output in it, that the (unprivileged) command cannot write."""
    folder = Path(tempfile.mkdtemp(dir="/tmp"))
    (folder / "map.html").write_text("earlier map", encoding="utf-8")
    (folder / "places.geojson").write_text("earlier export", encoding="utf-8")
    folder.chmod(0o555)
    yield folder
    folder.chmod(0o755)
    shutil.rmtree(folder)


def test_a_read_only_folder_names_the_users_path(read_only_folder):
    target = read_only_folder / "map.html"
    line = one_error_line(as_unprivileged("build", "--layers", "places", "--output", str(target)), str(target))
    assert "permission denied" in line and ".map.html." not in line
    assert target.read_text(encoding="utf-8") == "earlier map"


def test_export_into_a_read_only_folder_fails_with_one_line(read_only_folder):
    result = as_unprivileged("export", "--format", "geojson", "--output", str(read_only_folder), "places")
    one_error_line(result, str(read_only_folder), "permission denied")
    assert (read_only_folder / "places.geojson").read_text(encoding="utf-8") == "earlier export"
    assert leftovers(read_only_folder) == []


def test_a_failed_write_names_the_target_and_keeps_the_earlier_file(tmp_path, monkeypatch, capsys):
    target = tmp_path / "map.html"
    target.write_text("earlier map", encoding="utf-8")
    real_write = Path.write_text

    def full_disk(self, text, *args, **kwargs):
        real_write(self, text[:100], *args, **kwargs)
        raise OSError(28, "No space left on device", str(self))

    monkeypatch.setattr(Path, "write_text", full_disk)
    assert cli_module.main(["build", "--layers", "places", "--output", str(target)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"nerchinsk-map: error: {target}: cannot be written (No space left on device); nothing was changed"
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "earlier map"
    assert leftovers(tmp_path) == []


def test_ctrl_c_while_writing_leaves_nothing_half_written(tmp_path, monkeypatch, capsys):
    target = tmp_path / "map.html"
    target.write_text("earlier map", encoding="utf-8")
    real_write = Path.write_text

    def interrupted(self, text, *args, **kwargs):
        real_write(self, text[:100], *args, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "write_text", interrupted)
    assert cli_module.main(["build", "--layers", "places", "--output", str(target)]) == 130
    assert capsys.readouterr().err.strip() == "nerchinsk-map: interrupted"
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "earlier map"
    assert leftovers(tmp_path) == []


def test_a_symlink_is_written_through_to_its_target(tmp_path):
    real = tmp_path / "maps" / "treaty.html"
    real.parent.mkdir()
    real.write_text("earlier map", encoding="utf-8")
    link = tmp_path / "latest.html"
    link.symlink_to(real)
    result = cli("build", "--layers", "places", "--output", str(link))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert real.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert leftovers(real.parent) == [] and leftovers(tmp_path) == []


def test_a_symlink_to_a_fifo_is_refused(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "map.html"
    link.symlink_to(fifo)
    with pytest.raises(OutputError, match="FIFO"):
        nm.write_map(link, nm.build_map(["places"]))
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_ctrl_c_during_an_export_leaves_the_folder_as_it_was(tmp_path, monkeypatch, capsys):
    from nerchinsk_map.exports import exporter

    out = tmp_path / "export"
    out.mkdir()
    (out / "places.geojson").write_text("earlier export", encoding="utf-8")
    real_stage = exporter._stage

    def interrupted(frames, spec, staging, *args, **kwargs):
        real_stage(frames, spec, staging, *args, **kwargs)  # every file written to the hidden folder
        raise KeyboardInterrupt

    monkeypatch.setattr(exporter, "_stage", interrupted)
    assert cli_module.main(["export", "--format", "geojson", "--output", str(out), "places"]) == 130
    assert capsys.readouterr().err.strip() == "nerchinsk-map: interrupted"
    assert sorted(p.name for p in out.iterdir()) == ["places.geojson"]
    assert (out / "places.geojson").read_text(encoding="utf-8") == "earlier export"
