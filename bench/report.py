"""The machine the figures were measured on, and the figures as a table."""

from __future__ import annotations

import os
import platform
from pathlib import Path
from typing import Any


def machine() -> dict[str, Any]:
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        cpu = next(
            (
                line.split(":", 1)[1].strip()
                for line in cpuinfo.read_text().splitlines()
                if line.startswith("model name")
            ),
            "",
        )
    memory_mb = 0
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_mb = int(line.split()[1]) // 1024
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu or platform.processor(),
        "memory_mb": memory_mb,
        "python": platform.python_version(),
        "system": platform.platform(),
    }


def _row(
    name: str, value: Any, target: str = "", met: bool | None = None
) -> tuple[str, str, str, str]:
    verdict = "" if met is None else ("ok" if met else "MISSED")
    return name, str(value), target, verdict


def rows(results: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    out: list[tuple[str, str, str, str]] = []
    if "throughput" in results:
        t = results["throughput"]
        ours, echo = t["villagebot"], t["echo"]
        out += [
            _row("updates/s at saturation (villagebot)", ours["saturation"]["updates_per_second"]),
            _row(
                "updates/s at saturation (bare echo bot)", echo["saturation"]["updates_per_second"]
            ),
            _row(
                "throughput ratio villagebot / echo",
                t["throughput_ratio"],
                f">= {t['targets']['throughput_ratio_at_least']}",
                t["targets"]["throughput_ratio_at_least"] <= t["throughput_ratio"],
            ),
            _row("latency p50 at 50 updates/s (ms)", ours["latency"]["p50_ms"]),
            _row("latency p95 at 50 updates/s (ms)", ours["latency"]["p95_ms"]),
            _row(
                "latency p99 at 50 updates/s (ms)",
                ours["latency"]["p99_ms"],
                "<= 50",
                ours["latency"]["p99_ms"] <= 50,
            ),
            _row(
                "echo bot latency p50 / p99 (ms)",
                f"{echo['latency']['p50_ms']} / {echo['latency']['p99_ms']}",
            ),
            _row("p99 ratio villagebot / echo", t["p99_ratio"]),
            _row(
                "peak memory (MB) villagebot / echo",
                f"{ours['peak_memory_mb']} / {echo['peak_memory_mb']}",
            ),
        ]
    for suite in ("scale", "broadcast", "noisy", "workers", "crash", "board", "budget"):
        for item in results.get(suite, {}).get("rows", []):
            out.append(_row(item["name"], item["value"], item.get("target", ""), item.get("met")))
    return out


def table(results: dict[str, Any]) -> str:
    lines = rows(results)
    header = ("measure", "value", "target", "")
    widths = [max(len(r[i]) for r in [header, *lines]) for i in range(4)]
    m = results.get("machine", {})
    title = f"villagebot benchmarks on {m.get('cpus')} × {m.get('cpu')}, {m.get('memory_mb')} MB"
    fmt = "  ".join(f"{{:{'<' if i == 0 else '>'}{w}}}" for i, w in enumerate(widths))
    rule = "-" * (sum(widths) + 6)
    return "\n".join(
        [title, rule, fmt.format(*header), rule, *(fmt.format(*r) for r in lines), rule]
    )


def all_met(results: dict[str, Any]) -> bool:
    return all(r[3] != "MISSED" for r in rows(results))
