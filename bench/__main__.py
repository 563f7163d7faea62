"""`python -m bench [throughput] [scale] [broadcast] [noisy] [workers] [crash] [board] [budget]
[--quick]`: run the benchmarks (all of them by default), print a table and save the figures as
JSON under bench/results/."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import report

RESULTS = Path(__file__).with_name("results")
SUITES = ("throughput", "scale", "broadcast", "noisy", "workers", "crash", "board", "budget")


async def _run(names: list[str], quick: bool, workdir: Path) -> dict[str, Any]:
    results: dict[str, Any] = {"machine": report.machine(), "quick": quick}
    for name in names:
        module = __import__(f"bench.{name}", fromlist=["run"])
        started = time.monotonic()
        folder = workdir / name
        folder.mkdir()
        print(f"== {name} …", flush=True)
        results[name] = await module.run(folder, quick=quick)
        results[name]["benchmark_seconds"] = round(time.monotonic() - started, 1)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("suites", nargs="*", choices=(*SUITES, []), help="which (default: all)")
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke test")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the JSON goes")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    names = list(args.suites) or list(SUITES)
    with tempfile.TemporaryDirectory(prefix="villagebot-bench-") as workdir:
        results = asyncio.run(_run(names, args.quick, Path(workdir)))
    print(report.table(results))
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = args.out / f"bench-{stamp}{'-quick' if args.quick else ''}.json"
    text = json.dumps(results, indent=2, ensure_ascii=False)
    path.write_text(text + "\n")
    (args.out / "latest.json").write_text(text + "\n")
    print(f"saved {path}")
    return 0 if report.all_met(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
