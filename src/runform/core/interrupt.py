"""Ctrl-C during an apply: stop scheduling, let calls in flight finish, then report."""

from __future__ import annotations

import asyncio
import signal

from runform.core.result import ApplyResult, ApplyStatus
from runform.core.runner import Applier

EXIT_CODES = {ApplyStatus.COMPLETE: 0, ApplyStatus.FAILED: 1, ApplyStatus.INTERRUPTED: 130}


async def run_interruptible(applier: Applier) -> ApplyResult:
    """Run `applier`; the first SIGINT/SIGTERM stops it gracefully, a second one is not caught."""
    loop = asyncio.get_running_loop()
    installed: list[signal.Signals] = []

    def stop(signum: signal.Signals) -> None:
        applier.interrupt()
        for each in installed:
            loop.remove_signal_handler(each)
        installed.clear()

    for signum in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(signum, stop, signum)
            installed.append(signum)
        except (NotImplementedError, RuntimeError, ValueError):
            pass  # not the main thread, or a platform without signal handlers
    try:
        return await applier.run()
    finally:
        for signum in installed:
            loop.remove_signal_handler(signum)


def exit_code(result: ApplyResult) -> int:
    """0 complete, 1 failed, 130 interrupted (as a shell reports Ctrl-C)."""
    return EXIT_CODES[result.status]
