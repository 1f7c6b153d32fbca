"""Replicas of the local stack for the tests that run two of everything: their ports, pid
files and deploy/local/scale.sh, which starts the missing ones and stops the extra ones."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.support import ROOT

PORT_BASE = int(os.environ.get("TREUE_PORT_BASE", "8000"))
REPLICA_PORT_STEP = 10  # deploy/local/lib.sh
RUN = ROOT / ".run"
SCALE_TIMEOUT = 600.0


def port(offset: int, replica: int) -> int:
    return PORT_BASE + offset + REPLICA_PORT_STEP * (replica - 1)


def replica_name(service: str, replica: int) -> str:
    return service if replica == 1 else f"{service}-{replica}"


def pid_of(service: str, module: str, replica: int) -> int:
    """The uvicorn process of that replica, checked to be that and nothing else."""
    pid = int((RUN / f"{replica_name(service, replica)}.pid").read_text().strip())
    command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    assert f"{module}.main:create_app".encode() in command, f"pid {pid}: {command!r}"
    return pid


def running_gateways() -> int:
    return sum(1 for _ in RUN.glob("gateway*.pid"))


def _run(command: list[str], env: dict[str, str] | None) -> None:
    done = subprocess.run(
        command,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=SCALE_TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"


def scale(replicas: int, env: dict[str, str] | None = None) -> None:
    """`replicas` of every service and gateway; what it starts gets `env` on top."""
    _run([str(ROOT / "deploy" / "local" / "scale.sh"), str(replicas)], env)


def stop(service: str, replica: int) -> None:
    """Stops one replica (make name: contacts, surveys, analytics, gateway)."""
    _run([str(ROOT / "deploy" / "local" / "service.sh"), service, "stop", str(replica)], None)
