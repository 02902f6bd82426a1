"""Benchmarks of the reading engine: compile from a cold and a warm basin cache, and compare.

    .venv/bin/python benchmarks/readings.py [--repeats N] [--json out.json]

1. compile, cold: a new interpreter, an empty basin cache, a reading whose divide clause needs a
   basin derived on demand (the Amur's, from its outlet): flow directions from the 5′ DEM + the
   basin polygon + the clauses; reported as the compile call alone and as the whole process
   (``*_process``: interpreter start and imports included);
2. compile, warm: the same in a new interpreter with the basin cached on disk;
3. compile of the shipped common reading (basins from the watersheds layer), in process;
4. ``reading compare gorbitsa_malaya gorbitsa_amazar``, in process.

Targets from issue 19: cold < 10 s, warm < 1 s (2 cores), compare < 2 s. Medians; nothing here
asserts on timings.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS_S = {"compile_cold": 10.0, "compile_warm": 1.0, "compare": 2.0}

CHILD = """
import json, sys, time
t0 = time.perf_counter()
import nerchinsk_map as nm
reading = json.loads(open(sys.argv[1], encoding="utf-8").read())
t1 = time.perf_counter()
nm.readings.compile(reading)
t2 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "compile": t2 - t1}))
"""


def outlet_reading(folder: Path) -> Path:
    """The Malaya Gorbitsa reading, ending on the Amur basin's edge derived on demand from its outlet."""
    import nerchinsk_map as nm

    reading = nm.readings.get("gorbitsa_malaya")
    reading["id"] = "bench_outlet"
    amur = nm.load_layer("watersheds").set_index("id").loc["amur"]
    reading["clauses"].append({
        "id": "crest", "kind": "divide", "text": reading["clauses"][0]["text"], "precision_km": 10,
        "basin": {"outlet": {"lat": float(amur["outlet_lat"]), "lon": float(amur["outlet_lon"])}},
        "side": "north", "to": {"river": "uda", "at": "source"},
    })
    path = folder / "bench_outlet.json"
    path.write_text(json.dumps(reading), encoding="utf-8")
    return path


def child(path: Path, cache: Path) -> tuple[float, float]:
    """(compile time reported by the child, wall time of the whole process)."""
    env = {**os.environ, "NERCHINSK_CACHE": str(cache)}
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD, str(path)], check=True, env=env, capture_output=True, text=True)
    return json.loads(done.stdout)["compile"], time.perf_counter() - t


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--json", type=Path)
    args = p.parse_args()
    import nerchinsk_map as nm

    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        path = outlet_reading(tmp)
        cold = []
        for i in range(args.repeats):
            cold.append(child(path, tmp / f"cache-{i}"))  # a new, empty cache each time
        warm = [child(path, tmp / "cache-0") for _ in range(args.repeats)]  # filled by the first cold run
        results["compile_cold"] = statistics.median(c for c, _ in cold)
        results["compile_cold_process"] = statistics.median(w for _, w in cold)
        results["compile_warm"] = statistics.median(c for c, _ in warm)
        results["compile_warm_process"] = statistics.median(w for _, w in warm)
    nm.readings.compile("nerchinsk_1689_common")  # warm-up: layers read once
    t = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        nm.readings.compile("nerchinsk_1689_common")
        t.append(time.perf_counter() - t0)
    results["compile_common_in_process"] = statistics.median(t)
    t = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        nm.readings.compare("gorbitsa_malaya", "gorbitsa_amazar")
        t.append(time.perf_counter() - t0)
    results["compare"] = statistics.median(t)
    for key, value in results.items():
        target = TARGETS_S.get(key)
        verdict = "" if target is None else f"  (target < {target:g} s: {'met' if value < target else 'MISSED'})"
        print(f"{key:<28} {value:6.2f} s{verdict}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
