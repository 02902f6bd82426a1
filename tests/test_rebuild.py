"""The pipeline reproduces geodata/ byte for byte from the raw inputs shipped in the package."""

import hashlib
import shutil
from pathlib import Path

from conftest import RAW_DATA, cli

import nerchinsk_map
from nerchinsk_map.data.catalog import geodata_dir
from nerchinsk_map.pipeline.rebuild import rebuild
from nerchinsk_map.rawdata.sources import default_data_dir


def test_rebuild_reproduces_the_committed_files(raw_data, tmp_path, monkeypatch):
    monkeypatch.delenv("NERCHINSK_SHARED_DATA", raising=False)
    shipped = default_data_dir()  # the package's own copy (the clone's, or the installed wheel's), not ../shared
    assert shipped == Path(nerchinsk_map.__file__).resolve().parent / "rawdata"
    assert (shipped / "SHA256SUMS").read_bytes() == (raw_data / "SHA256SUMS").read_bytes()
    written = rebuild(None, tmp_path)
    assert written
    for path in written:
        committed = geodata_dir() / path.name
        assert committed.is_file(), f"{path.name} is derived but not in geodata/"
        assert path.read_bytes() == committed.read_bytes(), f"{path.name} differs from the committed file"


def test_shipped_raw_inputs_match_their_sha256_sums():
    lines = (RAW_DATA / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    listed = {}
    for line in lines:
        digest, name = line.split()
        listed[name] = digest
        assert hashlib.sha256((RAW_DATA / name).read_bytes()).hexdigest() == digest, name
    shipped = {p.relative_to(RAW_DATA).as_posix() for p in RAW_DATA.glob("*/*") if p.suffix in (".geojson", ".tif")}
    assert shipped == set(listed)  # every data file is listed, and nothing listed is missing
    assert sum((RAW_DATA / n).stat().st_size for n in listed) < 3_000_000
    assert (RAW_DATA / "LICENSES.md").is_file() and (RAW_DATA / "scripts" / "cut_dem.py").is_file()


def test_a_changed_raw_input_is_a_one_line_error(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(RAW_DATA, data)
    (data / "natural-earth" / "ne_10m_playas.geojson").write_text("{}", encoding="utf-8")
    out = tmp_path / "out"
    result = cli("data", "rebuild", "--data-dir", str(data), "--output-dir", str(out))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "ne_10m_playas.geojson: SHA-256 differs" in result.stderr
    assert not out.exists() or not any(Path(out).iterdir())
