"""The app's Streamlit server for a load test: one process, offline, its caches in temp dirs.

Started as `make run` starts it (`streamlit run app.py`), bound to 127.0.0.1 on a free port,
with feeds pointed at port 9 of this machine where nothing listens: the page must not reach
the internet even if something tried. Its memory and CPU time are read from /proc (psutil is
not a dependency); `streamlit` execs Python, so the child process is the server itself.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Server:
    """`streamlit run app.py` while the `with` block runs; `.url` to open."""

    def __init__(self, log: Path | None = None) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="dp-load-")
        self.log = log or Path(self._tmp.name) / "streamlit.log"
        self.url = ""
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        tmp = Path(self._tmp.name)
        env = {
            **os.environ,
            "DEPARTURE_PLANNER_CACHE": str(tmp / "http"),
            "DEPARTURE_PLANNER_FEED_BASE": "http://127.0.0.1:9",
            "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        }
        # Tests set their own precomputed-data dir; otherwise never the user's.
        env.setdefault("DEPARTURE_PLANNER_PRECOMPUTED", str(tmp / "precomputed"))
        port = _free_port()
        with self.log.open("w") as log:
            self.proc = subprocess.Popen(
                [str(Path(sys.executable).parent / "streamlit"), "run", "app.py"]
                + ["--server.port", str(port), "--server.address", "127.0.0.1"]
                + ["--server.headless", "true"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        return self
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.__exit__()
                    raise RuntimeError(f"the app did not start (see {self.log})") from None
                time.sleep(0.2)

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._tmp.cleanup()

    def rss_kib(self) -> int:
        """Resident memory now."""
        return self._status("VmRSS")

    def peak_rss_kib(self) -> int:
        """The most resident memory so far."""
        return self._status("VmHWM")

    def cpu_seconds(self) -> float:
        """User + system CPU time used so far."""
        assert self.proc is not None
        stat = Path(f"/proc/{self.proc.pid}/stat").read_text()
        fields = stat.rsplit(")", 1)[1].split()  # the name in parentheses may hold spaces
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def errors(self) -> list[str]:
        """Tracebacks in the log, and the page's own "the page failed" lines."""
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return [line for line in text.splitlines() if "Traceback" in line or "failed" in line]

    def _status(self, name: str) -> int:
        assert self.proc is not None
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith(f"{name}:"):
                return int(line.split()[1])
        raise LookupError(f"no {name} in /proc/{self.proc.pid}/status")


def tree_cpu_seconds(pid: int) -> float:
    """CPU time of every process below `pid` (with what each has reaped of its own children)."""
    parent: dict[int, int] = {}
    cpu: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        parent[int(entry.name)] = int(fields[1])
        cpu[int(entry.name)] = sum(int(f) for f in fields[11:15]) / tick
    total, stack = 0.0, [pid]
    while stack:
        here = stack.pop()
        for child, up in parent.items():
            if up == here:
                total += cpu[child]
                stack.append(child)
    return total


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
