"""The scheduled deployment against a real Prefect server: registered with its cron, triggered, completed."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import polars as pl
import pytest

from conftest import SEEDS
from newsdedup.config import DEFAULT_CONFIG

PREFECT = Path(sys.executable).with_name("prefect")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture
def prefect_server(tmp_path):
    """A real `prefect server start` on a free loopback port, stopped afterwards."""
    port = _free_port()
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_API_URL": "",
    }
    env.pop("PREFECT_API_URL")
    env.pop("PREFECT_LOGGING_LEVEL", None)  # as a shell has it (the CLI's in-process tests set it for this process)
    log = open(tmp_path / "server.log", "w")
    proc = subprocess.Popen(
        [str(PREFECT), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    api = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None, (tmp_path / "server.log").read_text()[-2000:]
            time.sleep(1)
        else:
            pytest.fail("prefect server did not become healthy in 120 s")
        yield api, env
    finally:
        _stop(proc)
        log.close()


def test_deployment_is_scheduled_and_a_triggered_run_completes(prefect_server, tmp_path):
    api, env = prefect_server
    env = {**env, "PREFECT_API_URL": api}
    shutil.copytree(SEEDS, tmp_path / "raw")
    out = tmp_path / "clusters"
    config = tmp_path / "karachi.toml"  # the schedule's zone reaches the deployment
    config.write_text(DEFAULT_CONFIG.read_text(encoding="utf-8").replace('timezone = "UTC"', 'timezone = "Asia/Karachi"'),
                      encoding="utf-8")
    serve_log = open(tmp_path / "serve.log", "w")
    serve = subprocess.Popen(
        [sys.executable, "-m", "newsdedup", "serve", "--config", str(config),
         "--input", str(tmp_path / "raw"), "--output", str(out)],
        env=env, stdout=serve_log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    # this process talks to the real server, even if a test harness is active in the session
    with temporary_settings({PREFECT_API_URL: api}):
        _run_checks(serve, get_client, run_deployment, tmp_path, out, serve_log)


def _run_checks(serve, get_client, run_deployment, tmp_path, out, serve_log) -> None:
    try:

        async def deployment():
            async with get_client() as client:
                return await client.read_deployment_by_name("newsdedup/scheduled-ingest")

        deadline = time.monotonic() + 120
        found = None
        while found is None and time.monotonic() < deadline:
            assert serve.poll() is None, (tmp_path / "serve.log").read_text()[-3000:]
            try:
                found = asyncio.run(deployment())
            except Exception:
                time.sleep(2)
        assert found is not None, "the deployment was never registered"
        schedules = [(getattr(s.schedule, "cron", None), getattr(s.schedule, "timezone", None)) for s in found.schedules]
        assert ("*/10 * * * *", "Asia/Karachi") in schedules
        limit = getattr(found, "global_concurrency_limit", None)
        assert limit is not None and limit.limit == 1, found  # one run at a time: an overlapping one waits its turn

        flow_run = run_deployment("newsdedup/scheduled-ingest", timeout=600, poll_interval=2)
        assert flow_run.state.is_completed(), (flow_run.state, (tmp_path / "serve.log").read_text()[-3000:])
        articles = pl.read_parquet(out / "articles.parquet")
        assert articles.height == 5 and (out / "report.html").is_file()
        written = {p.name: p.stat().st_mtime_ns for p in [*out.iterdir(), *(out / "state").iterdir()] if p.is_file()}

        # a scheduled run with nothing new stops there: no output and no state file is written again
        flow_run = run_deployment("newsdedup/scheduled-ingest", timeout=600, poll_interval=2)
        assert flow_run.state.is_completed(), (flow_run.state, (tmp_path / "serve.log").read_text()[-3000:])
        again = {p.name: p.stat().st_mtime_ns for p in [*out.iterdir(), *(out / "state").iterdir()] if p.is_file()}
        assert {k: v for k, v in again.items() if k != ".lock"} == {k: v for k, v in written.items() if k != ".lock"}
        # and says so in the Prefect UI: the run's log reaches the server (the CLI's quiet WARNING level held it back)
        from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId

        async def messages():
            async with get_client() as client:
                found = await client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run.id])))
                return [log.message for log in found]

        deadline = time.monotonic() + 30  # the log handler sends in batches
        while not any("nothing new" in m for m in asyncio.run(messages())) and time.monotonic() < deadline:
            time.sleep(1)
        assert any("newsdedup: nothing new" in m for m in asyncio.run(messages())), asyncio.run(messages())

        # an input folder gone (an unmounted share) fails the run with its reason; the outputs stay as they were
        (tmp_path / "raw").rename(tmp_path / "raw.away")
        flow_run = run_deployment("newsdedup/scheduled-ingest", timeout=600, poll_interval=2)
        assert flow_run.state.is_failed() and "input folder not found" in flow_run.state.message, flow_run.state
        assert pl.read_parquet(out / "articles.parquet").height == 5
    finally:
        _stop(serve)
        serve_log.close()
