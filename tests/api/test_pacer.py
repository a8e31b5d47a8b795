"""Pacing under an unannounced rate limit: learnt from 429s without Retry-After."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from runform.core.http.pacer import MINIMUM, RatePacer
from runform.core.sandbox_kit.faults import FaultConfig


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_off_until_a_429_then_paced_at_just_under_what_went_through() -> None:
    clock = Clock()
    pacer = RatePacer(clock)
    assert pacer.delay() == 0.0 and pacer.rate is None
    for _ in range(5):  # five successes within the last second
        clock.now += 0.1
        pacer.succeeded()
    sent = pacer.sent()
    pacer.throttled(sent)
    assert pacer.rate is not None and 4.0 <= pacer.rate < 5.0
    first, second = pacer.delay(), pacer.delay()
    assert first == 0.0 and abs(second - 1.0 / pacer.rate) < 1e-9


def test_a_wave_of_refusals_counts_once() -> None:
    clock = Clock()
    pacer = RatePacer(clock)
    for _ in range(5):
        clock.now += 0.1
        pacer.succeeded()
    wave = [pacer.sent() for _ in range(10)]  # ten requests in flight together
    clock.now += 0.02
    for sent in wave:
        pacer.throttled(sent)
    assert pacer.rate is not None and pacer.rate >= 4.0  # not halved ten times


@given(st.lists(st.sampled_from(["ok", "429", "wait"]), max_size=200))
def test_the_rate_stays_positive_and_above_the_floor(events: list[str]) -> None:
    clock = Clock()
    pacer = RatePacer(clock)
    for event in events:
        if event == "ok":
            pacer.succeeded()
        elif event == "429":
            pacer.throttled(pacer.sent())
        else:
            clock.now += 0.3
        assert pacer.rate is None or pacer.rate >= MINIMUM
        assert pacer.delay() >= 0.0


def test_the_sandbox_bucket_lets_through_its_rate_and_says_no_retry_after() -> None:
    # Evidence: ../shared/cutover-api.md ("rate limit"): Cutover documents 429 with back-off
    # but no numbers and no Retry-After. The bucket is a test ceiling, not a Cutover rule:
    # runform's pacer must work whatever the real limiter's size and window are.
    faults = FaultConfig()
    faults.rate_limit = 5
    fates = [faults.decide(is_write=False).kind for _ in range(8)]
    assert fates[:5] == [None] * 5  # one second's worth at once
    assert set(fates[5:]) == {"rate_limited"}


FILE = """\
runbook:
  name: Paced release
  workspace: default
streams:
  - name: Main
tasks:
"""


def test_an_apply_under_a_rate_limit_completes_with_few_refusals(
    tmp_path: Path, sandbox_server
) -> None:
    tasks = "".join(f"  - name: Step {n}\n    stream: Main\n    duration: 5m\n" for n in range(40))
    (tmp_path / "r.yaml").write_text(FILE + tasks)
    sandbox_server.faults.rate_limit = 20
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CUTOVER_", "CI"))}
    env.update(CUTOVER_API_URL=sandbox_server.base_url, CUTOVER_API_TOKEN=sandbox_server.token)
    done = subprocess.run(
        [sys.executable, "-m", "runform", "apply", "-auto-approve", "--stats", "r.yaml"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Apply complete: 42 created" in done.stdout
    refused = re.search(r"(\d+) throttled \(429\)", done.stderr)
    assert refused is not None and int(refused.group(1)) > 0, done.stderr  # the limit was met
    most = re.search(r"at most (\d+) 429s for one request", done.stderr)
    assert most is not None and int(most.group(1)) <= 2, done.stderr
