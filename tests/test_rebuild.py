"""The pipeline reproduces geodata/ byte for byte from the raw inputs."""

import pytest

from nerchinsk_map.catalog import geodata_dir
from nerchinsk_map.pipeline.rebuild import rebuild

pytest.importorskip("pyflwdir", reason="the pipeline extra (pyflwdir, rasterio) is not installed")


def test_rebuild_reproduces_the_committed_files(raw_data, tmp_path):
    written = rebuild(raw_data, tmp_path)
    assert written
    for path in written:
        committed = geodata_dir() / path.name
        assert committed.is_file(), f"{path.name} is derived but not in geodata/"
        assert path.read_bytes() == committed.read_bytes(), f"{path.name} differs from the committed file"
