"""Real processes for the fault and scaling tests: a private redis-server, `celery worker`s, gunicorn instances.

Each is started by a test's fixture against this test's database (transactional,
so the processes see committed rows) and a redis-server of its own on a free port
(never the machine's Redis), and stopped by its own process handle.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

from config.celery import app

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = shutil.which("redis-server")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(condition: Callable[[], bool], timeout: float, what: str | Callable[[], str]) -> None:
    """Poll `condition` until it holds; `what` (or what it returns, read at the timeout) names it in the failure."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what() if callable(what) else what}")


def end(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    """Send `sig` and wait for the process; killed if it has not ended in 20 s."""
    process.send_signal(sig)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


@dataclass
class PrivateRedis:
    port: int
    folder: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [str(REDIS_SERVER), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(self._answers, 10, "redis-server to answer")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False


def forget_connections() -> None:
    # The app keeps its producer pool and result backend, made from the URLs of their first use
    # (private attributes: Celery has no public way to drop them).
    app._pool = None  # type: ignore[attr-defined]
    app.amqp._producer_pool = None  # type: ignore[attr-defined]
    app._backend_cache = None  # type: ignore[attr-defined]
    app._local.__dict__.pop("backend", None)  # type: ignore[attr-defined]


def process_env(redis_url: str, media: Path, **extra: str) -> dict[str, str]:
    """The environment of a process of the portal on this test's database, the private Redis and `media`."""
    database = connection.settings_dict
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("PYTEST")},
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "REDIS_URL": redis_url,
        "MEDIA_ROOT": str(media),
        "PYTHONPATH": str(ROOT),
        **extra,
    }


class Worker:
    """A `celery worker` process (prefork, one child) taking this test process's queue."""

    def __init__(self, redis_url: str, media: Path, log: Path, name: str = "") -> None:
        self.env = process_env(redis_url, media)
        self.log = log
        self.name = name  # the node name (-n), which a job sees as its request's hostname
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        celery = Path(sys.executable).with_name("celery")
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [str(celery), "-A", "config", "worker", "-l", "info", "-P", "prefork", "-c", "1",
                 # This process's queue, and the default one the worker's own jobs send to (its settings'):
                 # the Redis is the test's own, no other test's jobs are in it.
                 "-Q", f"{app.conf.task_default_queue},celery", "--without-gossip", "--without-mingle",
                 "--without-heartbeat",
                 *(["-n", self.name] if self.name else [])],
                cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip

    def ready(self) -> bool:
        """Consuming: Celery logs "celery@<name> ready." once the worker takes messages."""
        return " ready." in self.output()

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def children(self) -> list[int]:
        assert self.process is not None
        found = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True).stdout.split()
        return [int(pid) for pid in found]

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.alive():
            assert self.process is not None
            for child in self.children() if sig == signal.SIGKILL else []:
                os.kill(child, signal.SIGKILL)
            end(self.process, sig)
        self.process = None

    def output(self) -> str:
        return self.log.read_text(errors="replace")


class WebInstance:
    """A gunicorn instance of the portal (one process, two threads) on a free port."""

    def __init__(self, redis_url: str, media: Path, log: Path) -> None:
        # Not production mode (its HTTPS-only cookies), but no debug: as a deployment serves.
        self.env = process_env(redis_url, media, DEBUG="false", ALLOWED_HOSTS="127.0.0.1")
        self.log = log
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [str(gunicorn), "config.wsgi", "--workers", "1", "--threads", "2", "--bind", f"127.0.0.1:{self.port}"],
                cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        wait_for(self._answers, 60, f"gunicorn on port {self.port}")

    def _answers(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(f"gunicorn exited\n{self.output()}")
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            end(self.process)
        self.process = None

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""
