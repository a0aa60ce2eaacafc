"""API reads under load with wrk, against a minimal Flask + psycopg app, in one run.

    .venv/bin/python bench/api_reads.py [--documents 100000] [--workers 2] [--duration 10]
                                        [--connections 16] [--profile 0]

Needs `wrk` (Debian package: `apt-get install -y wrk`). On a scratch database it
generates --documents documents (~500 characters of text each, from the seed articles)
and ten evidence rows per document (1M with the default), runs a full re-score, then
serves the database with both
  - `demarche serve --workers N` (gunicorn gthread, 4 threads a worker, scheduler off), and
  - bench/baseline_app.py: one primary-key SELECT on documents, the same gunicorn set-up,
on 127.0.0.1, and runs wrk against each of
  - baseline  GET /documents/{random id}
  - GET /api/v1/stances                                   (the 4 x 6 matrix)
  - GET /api/v1/stances/china/negotiated-settlement       (a stance with its top evidence)
  - GET /api/v1/documents/{random id}                     (a document with its evidence)
twice: at peak (`wrk -t2 -c16 -d10s --latency`), then at half of that peak's rate (wrk
has no constant-rate mode; a Lua `delay()` spaces each connection's requests so the
offered rate is about half the peak). The baseline is measured first and again last.
wrk, the servers and PostgreSQL share the machine's cores: the figures are for this
whole set-up on one box, not for the server alone.
With --profile S, py-spy (pip install py-spy) samples one `demarche serve` worker for S
seconds under peak load of each Demarche endpoint and prints where its CPU time goes."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg

from bench.common import scratch_database
from bench.fill import fill, rescore_all
from bench.serving import BIN, CpuMeter, baseline_server, demarche_server, worker_pids

WRK_THREADS = 2


@dataclass(frozen=True)
class WrkResult:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int  # non-2xx/3xx responses plus socket errors


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(out: str) -> WrkResult:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    errors = 0
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(x) for x in m.groups())
    return WrkResult(rps, p50, p99, requests, errors)


def lua_script(folder: Path, path: str, documents: int, delay_ms: float) -> Path:
    """A wrk script: ``{id}`` in the path becomes a random document id; an optional delay
    before each request of a connection."""
    name = f"wrk-{abs(hash((path, delay_ms)))}.lua"
    lines = ["math.randomseed(42)"]
    if "{id}" in path:
        head, tail = path.split("{id}")
        lines.append(
            "request = function() return wrk.format('GET', "
            f"'{head}' .. math.random(1, {documents}) .. '{tail}') end"
        )
    else:
        lines.append(f"request = function() return wrk.format('GET', '{path}') end")
    if delay_ms > 0:
        lines.append(f"delay = function() return {delay_ms:.3f} end")
    script = folder / name
    script.write_text("\n".join(lines) + "\n")
    return script


def wrk(
    base: str, script: Path, connections: int, seconds: int, threads: int = WRK_THREADS
) -> WrkResult:
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "5s",
            "--latency",
            "-s",
            str(script),
            base,
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=True,
    ).stdout
    return parse_wrk(out)


def measure(
    folder: Path,
    base: str,
    path: str,
    documents: int,
    connections: int,
    seconds: int,
    meter: CpuMeter,
) -> tuple[WrkResult, WrkResult, dict[str, float]]:
    """Peak (with the cores each group used meanwhile), then about half of the peak's rate."""
    script = lua_script(folder, path, documents, 0)
    meter.start()
    peak = wrk(base, script, connections, seconds)
    cores = meter.stop()
    target = peak.rps / 2
    half_conn = max(2, connections // 2)
    # space each connection's requests: half_conn / (latency + delay) = target; the
    # latency at that load is not known beforehand, so a short probe measures it
    idle = wrk(base, script, 1, 2, threads=1)
    delay = max(0.0, 1000.0 * half_conn / target - idle.p50_ms)
    probe = wrk(base, lua_script(folder, path, documents, delay), half_conn, 3)
    latency = 1000.0 * half_conn / probe.rps - delay
    delay = max(0.0, 1000.0 * half_conn / target - latency)
    half = wrk(base, lua_script(folder, path, documents, delay), half_conn, seconds)
    return peak, half, cores


def profile_workers(pids: list[int], seconds: int, load: subprocess.Popen[bytes]) -> str:
    """py-spy on every worker while ``load`` runs: own time per function and the inclusive
    time of the service's own functions, over the samples of all workers."""
    pyspy = str(BIN / "py-spy") if (BIN / "py-spy").exists() else shutil.which("py-spy")
    if pyspy is None:
        load.wait(timeout=seconds + 60)
        return "py-spy is not installed (pip install py-spy): no profile"
    with tempfile.TemporaryDirectory() as tmp:
        runs = [
            subprocess.Popen(
                [
                    pyspy,
                    "record",
                    "--pid",
                    str(pid),
                    "--duration",
                    str(seconds),
                    "--rate",
                    "250",
                    "--format",
                    "raw",
                    "--gil",
                    "--nonblocking",
                    "--output",
                    f"{tmp}/{pid}.txt",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for pid in pids
        ]
        for run in runs:
            run.wait(timeout=seconds + 60)
        load.wait(timeout=seconds + 60)
        raw = "".join(p.read_text() for p in Path(tmp).glob("*.txt"))
    return summarise_stacks(raw)


def _frame(frame: str) -> str:
    # "function (path/to/file.py:123)" -> "file path:function"
    m = re.match(r"(.+?) \((.+?)(?::\d+)?\)$", frame.strip())
    if not m:
        return frame.strip()
    function, path = m.groups()
    for marker in ("site-packages/", "/work/main/", "lib/python3.11/"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{path}:{function}"


def summarise_stacks(raw: str, top: int = 15) -> str:
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        frames = [_frame(f) for f in stack.split(";") if f]
        if not frames:
            continue
        total += n
        own[frames[-1]] += n
        for f in set(frames):
            if f.startswith(("service/", "flask_smorest/", "marshmallow/", "psycopg")):
                inclusive[f] += n
    if not total:
        return "no samples"
    lines = [f"{total} samples of the thread holding the GIL (py-spy --gil); own time:"]
    lines += [f"  {100 * n / total:5.1f}%  {f}" for f, n in own.most_common(top)]
    lines.append("inclusive time (service, flask_smorest, marshmallow, psycopg):")
    lines += [f"  {100 * n / total:5.1f}%  {f}" for f, n in inclusive.most_common(top)]
    return "\n".join(lines)


EXPLAIN = [
    ("baseline: documents by primary key", "SELECT id, title, published_at FROM documents "
     "WHERE id = 4242", {}),
    ("matrix: list_stances", "list_stances", {"actor": None, "topic": None}),
    ("stance detail: kept_top_evidence", "kept_top_evidence", {"actor": "china",
     "topic": "negotiated-settlement", "as_of": datetime.now(UTC), "half_life_days": 180,
     "limit": 5}),
    ("(before 2026-11-30) stance detail: top_evidence, ranked per request", "top_evidence",
     {"actor": "china", "topic": "negotiated-settlement", "as_of": datetime.now(UTC),
      "half_life_days": 180, "limit": 5}),
    ("document: get_document", "get_document", {"id": 4242}),
    ("document: list_document_evidence", "list_document_evidence", {"document_id": 4242}),
]  # fmt: skip


def explain(url: str) -> list[tuple[str, str]]:
    """EXPLAIN ANALYZE of the statements behind each endpoint: (name, plan summary)."""
    from service.db.sql import q

    out = []
    with psycopg.connect(url) as conn:
        for name, statement, params in EXPLAIN:
            sql = statement if " " in statement else q(statement)
            for _ in range(3):  # warm: the plan and pages as under load
                conn.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)  # type: ignore[arg-type]
            rows = conn.execute(
                f"EXPLAIN (ANALYZE, BUFFERS) {sql}",  # type: ignore[arg-type]
                params,
            ).fetchall()
            plan = [r[0] for r in rows]
            keep = [line for line in plan if "Execution Time" in line]
            keep += [line.strip() for line in plan[:6] if "->" in line or line is plan[0]]
            out.append((name, "\n    ".join(keep)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--profile", type=int, default=0, help="py-spy seconds per endpoint")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit(
            "bench/api_reads.py needs wrk, the HTTP load generator: "
            "install the Debian package with `apt-get install -y wrk`"
        )

    endpoints = [
        ("GET /api/v1/stances", "/api/v1/stances"),
        (
            "GET /api/v1/stances/china/negotiated-settlement",
            "/api/v1/stances/china/negotiated-settlement",
        ),
        ("GET /api/v1/documents/{id}", "/api/v1/documents/{id}"),
    ]
    rows: list[tuple[str, WrkResult, WrkResult, dict[str, float]]] = []
    profiles: list[tuple[str, str]] = []
    load_before = os.getloadavg()
    with scratch_database() as url, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        fill(url, args.documents)
        print(f"filled in {time.perf_counter() - start:.0f} s", flush=True)
        start = time.perf_counter()
        print(f"full re-score: {rescore_all(url)} in {time.perf_counter() - start:.1f} s")
        with psycopg.connect(url) as conn:
            version = conn.execute("SHOW server_version").fetchone()[0]  # type: ignore[index]

        with (
            baseline_server(url, args.workers) as (base_b, master_b),
            demarche_server(url, args.workers) as (base_d, master_d),
        ):
            meter_b = CpuMeter([master_b, *worker_pids(master_b)])
            meter_d = CpuMeter([master_d, *worker_pids(master_d)])

            def run(name: str, base: str, path: str, meter: CpuMeter) -> None:
                peak, half, cores = measure(
                    folder, base, path, args.documents, args.connections, args.duration, meter
                )
                print(f"{name}: peak {peak}, half {half}, cores {cores}", flush=True)
                rows.append((name, peak, half, cores))

            run("baseline: PK SELECT app (first)", base_b, "/documents/{id}", meter_b)
            for name, path in endpoints:
                run(name, base_d, path, meter_d)
            run("baseline: PK SELECT app (last)", base_b, "/documents/{id}", meter_b)
            for name, path in endpoints if args.profile else []:
                script = lua_script(folder, path, args.documents, 0)
                load = subprocess.Popen(
                    [
                        "wrk",
                        "-t2",
                        f"-c{args.connections}",
                        f"-d{args.profile + 2}s",
                        "-s",
                        str(script),
                        base_d,
                    ],
                    stdout=subprocess.DEVNULL,
                )
                time.sleep(1)
                profiles.append((name, profile_workers(worker_pids(master_d), args.profile, load)))
        plans = explain(url)

    baseline_rps = (rows[0][1].rps + rows[-1][1].rps) / 2
    print()
    print(f"PostgreSQL {version}; load average (1, 5, 15 min) before: {load_before}, "
          f"after: {os.getloadavg()}")  # fmt: skip
    print(
        f"wrk -t{WRK_THREADS} -c{args.connections} -d{args.duration}s --latency at peak; half "
        f"load: -c{max(2, args.connections // 2)} with a per-request delay (Lua) aimed at half "
        f"the peak rate. {args.documents:,} documents, {10 * args.documents:,} evidence rows, "
        f"{args.workers} gunicorn workers x 4 threads each."
    )
    print()
    print(
        "| endpoint | peak req/s | vs baseline | p50 at peak | p99 at peak "
        "| half-load req/s | p50 at half | p99 at half | errors "
        "| cores at peak: server / PostgreSQL / wrk / other |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for name, peak, half, cores in rows:
        print(
            f"| {name} | {peak.rps:,.0f} | {peak.rps / baseline_rps:.0%} | {peak.p50_ms:.1f} ms "
            f"| {peak.p99_ms:.1f} ms | {half.rps:,.0f} | {half.p50_ms:.1f} ms "
            f"| {half.p99_ms:.1f} ms | {peak.errors + half.errors} "
            f"| {cores['server']:.2f} / {cores['postgres']:.2f} / {cores['wrk']:.2f} "
            f"/ {cores['other']:.2f} |"
        )
    print()
    print("EXPLAIN (ANALYZE, BUFFERS), warm:")
    for name, plan in plans:
        print(f"  {name}:\n    {plan}")
    for name, text in profiles:
        print()
        print(f"py-spy, all `demarche serve` workers, {name} at peak load:")
        print(text)


if __name__ == "__main__":
    main()
