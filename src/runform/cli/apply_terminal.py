"""What `runform apply` shows a person and asks them: a saved plan's failed policies, errors,
the `yes` prompt (which Ctrl-C interrupts) and the result's account; `apply_json` has the JSON."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from typing import Any

import click
from rich.console import Console

from runform.text.safe import safe_line, shown


def print_error(console: Console, text: str) -> None:
    console.print(safe_line(text, 2000), style="red", markup=False)


def print_policies(console: Console, plan: Any) -> None:
    """A saved plan's failed policies, as its plan showed them (checked again just now)."""
    from runform.render.policies import failed_groups, finding_lines, heading

    for group in failed_groups(plan.policies):
        for outcome in group.outcomes:
            console.print(safe_line(f"Policy {group.severity.value}: {heading(outcome)}"),
                          markup=False)  # fmt: skip
            for line in finding_lines(outcome):
                console.print(safe_line(f"  {line}"), markup=False)


def refused_at_prompt(console: Console, target: str) -> int | None:
    """Ask for `yes`: None to go ahead, else the exit code (1 for any other answer, 130 for
    Ctrl-C).

    The prompt blocks the event loop, so asyncio's own Ctrl-C handling (cancel the main task)
    would only act after an answer, and then in the middle of the apply. While it waits,
    Ctrl-C interrupts the prompt itself.
    """
    console.print(
        f"Do you want to make these changes in {shown(target)}? Only `yes` is accepted.",
        markup=False,
    )
    with _interruptible_prompt():
        try:
            answer = click.prompt("Enter a value", default="", show_default=False)
        except click.Abort:
            console.print()
            return 130
    return None if answer.strip() == "yes" else 1


@contextlib.contextmanager
def _interruptible_prompt() -> Iterator[None]:
    """Python's own SIGINT handling (KeyboardInterrupt) for the duration of the block."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def print_report(console: Console, result: Any, target: str) -> None:
    """The summary line (naming the target), and on failure exactly what did and did not
    happen."""
    style = "green" if result.ok else "red"
    console.print(f"{result.summary_line()} Target: {shown(target)}.", style=style, markup=False)
    for warning in result.warnings:
        click.echo(safe_line(f"Warning: {warning}"), err=True)
    if result.ok:
        return
    for failure in result.failed:
        line = safe_line(f"  failed: {failure.address}: {failure.message}")
        console.print(line, style="red", markup=False)
    for address in result.uncertain:
        line = safe_line(f"  unknown outcome (re-run apply to settle it): {address}")
        console.print(line, markup=False)
    if result.not_attempted:
        listed = ", ".join(result.not_attempted[:5])
        more = f" and {len(result.not_attempted) - 5} more" if len(result.not_attempted) > 5 else ""
        console.print(safe_line(f"  not attempted: {listed}{more}"), markup=False)
    console.print(f"  {len(result.done)} changes were made; see the journal {result.journal_path}")
    console.print("  Running apply again continues from the live state, without duplicates.")
