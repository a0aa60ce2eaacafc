"""Run `demarche` (the real CLI) and gunicorn servers as subprocesses for the
benchmarks: on 127.0.0.1 only, each stopped by its own process id afterwards."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"


def demarche_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment for a `demarche` subprocess on a scratch database."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DEMARCHE_LOAD_SEEDS="false",
        DEMARCHE_SCHEDULER_ENABLED="false",
        DEMARCHE_LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


def demarche(args: list[str], database_url: str, timeout: float = 600) -> str:
    """Run one `demarche` command to completion; its standard output."""
    done = subprocess.run(
        [str(BIN / "demarche"), *args],
        env=demarche_env(database_url),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"demarche {' '.join(args)} failed: {done.stderr[-2000:]}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def wait_ready(url: str, proc: subprocess.Popen[bytes], deadline_s: float = 90) -> None:
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {deadline_s} s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop a server we started (its own process group: gunicorn and its workers)."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@contextmanager
def demarche_server(database_url: str, workers: int = 2) -> Iterator[tuple[str, int]]:
    """`demarche serve` (gunicorn, scheduler off) on a free port: (base url, master pid)."""
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="demarche-serve-", suffix=".log", delete=False)
    proc = subprocess.Popen(
        [
            str(BIN / "demarche"),
            "serve",
            "--host",
            HOST,
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        env=demarche_env(database_url),
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://{HOST}:{port}"
    try:
        wait_ready(base + "/healthz", proc)
        yield base, proc.pid
    finally:
        if proc.poll() is not None:  # it died under the benchmark: say why (first error first)
            text = Path(log.name).read_text(errors="replace")
            print(
                f"demarche serve exited early ({proc.returncode}):\n{text[:4000]}\n...\n"
                f"{text[-2000:]}",
                file=sys.stderr,
            )
        stop(proc)
        log.close()
        os.unlink(log.name)


@contextmanager
def baseline_server(database_url: str, workers: int = 2) -> Iterator[tuple[str, int]]:
    """bench/baseline_app.py under gunicorn with the same worker class, workers and threads
    as `demarche serve` (service/serve.py: gthread, 4 threads)."""
    port = free_port()
    proc = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            "4",
            "--log-level",
            "warning",
            "bench.baseline_app:app",
        ],
        env=dict(os.environ, DATABASE_URL=database_url),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://{HOST}:{port}"
    try:
        wait_ready(base + "/healthz", proc)
        yield base, proc.pid
    finally:
        stop(proc)


def worker_pids(master: int) -> list[int]:
    """The gunicorn workers under a master (direct children; the CLI's serve process
    is gunicorn's master itself)."""
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True, check=False
    ).stdout
    return [int(p) for p in out.split()]


CLK_TCK = os.sysconf("SC_CLK_TCK")


def _proc_ticks() -> dict[int, tuple[str, int]]:
    """CPU ticks (user + system) of every process now: {pid: (command name, ticks)}."""
    out: dict[int, tuple[str, int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
        except OSError:
            continue
        name = raw[raw.index("(") + 1 : raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2 :].split()
        out[int(entry.name)] = (name, int(fields[11]) + int(fields[12]))
    return out


def _busy_ticks() -> int:
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return sum(fields) - fields[3] - fields[4]  # all but idle and iowait


class CpuMeter:
    """Cores used, by group, between start() and stop(): the server's processes (given by
    pid), PostgreSQL (processes named postgres), wrk (children of this process, waited
    for) and everything else on the machine."""

    def __init__(self, server_pids: list[int]) -> None:
        self.server_pids = set(server_pids)

    def start(self) -> None:
        self._procs = _proc_ticks()
        self._busy = _busy_ticks()
        self._children = os.times().children_user + os.times().children_system
        self._wall = time.monotonic()

    def stop(self) -> dict[str, float]:
        procs = _proc_ticks()
        wall = time.monotonic() - self._wall
        groups = {"server": 0.0, "postgres": 0.0}
        for pid, (name, ticks) in procs.items():
            before = self._procs.get(pid, (name, 0))[1]
            seconds = (ticks - before) / CLK_TCK
            if pid in self.server_pids:
                groups["server"] += seconds
            elif name.startswith("postgres"):
                groups["postgres"] += seconds
        children = os.times().children_user + os.times().children_system - self._children
        groups["wrk"] = children
        total = (_busy_ticks() - self._busy) / CLK_TCK
        groups["other"] = max(0.0, total - sum(groups.values()))
        return {k: v / wall for k, v in groups.items()}
