"""The text plan's rendering, in-process: its lines printed together, against a print a line.

Renders a plan saved by `runform plan -o FILE` (--plan), or by default makes one: the files
and sandbox of `plan_process.py` (R runbooks x T tasks, no changes), planned by
`runform plan -o` in a child process. Renders it to a console made as the command line makes
one (no highlighting, soft wrap), best of --runs each way: `runform.render.text.render_text`,
which prints all the lines at once, and the same lines printed one `Console.print` a line,
as the renderer did before.

    python bench/render_text.py [--plan FILE] [--runbooks 50] [--tasks 200] [--runs 15]
                                [--colour]
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from plan_process import FILL, write_files
from rich.console import Console
from served import filled_database, served_sandbox

from runform.providers.cutover.sandbox import SANDBOX_TOKEN
from runform.providers.registry import load_plan
from runform.render.text import Lines, plan_lines, render_text
from runform.text.safe import escape_controls


class EachLine(Lines):
    """`Lines` that prints each line as it is added: the renderer's earlier way."""

    def add(self, markup: str = "", style: str | None = None) -> None:
        self._console.print(escape_controls(markup), style=style, soft_wrap=True)


def best(runs: int, render: Callable[[Console], None], colour: bool) -> tuple[float, str]:
    """The fastest of `runs` renderings, in seconds, and what the last one printed."""
    fastest, text = float("inf"), ""
    for _ in range(runs):
        out = io.StringIO()
        console = Console(
            file=out,
            highlight=False,
            soft_wrap=True,
            force_terminal=colour,
            color_system="truecolor" if colour else None,
        )
        start = time.perf_counter()
        render(console)
        fastest = min(fastest, time.perf_counter() - start)
        text = out.getvalue()
    return fastest, text


def planned(folder: Path, runbooks: int, tasks: int) -> Path:
    """A plan file of `runbooks` x `tasks` that match the sandbox (nothing to change)."""
    project = folder / "project"
    project.mkdir()
    write_files(project, runbooks, tasks)
    db = filled_database(FILL, str(folder / "bench.db"), runbooks, tasks)
    out = folder / "plan.json"
    with served_sandbox(db, 0) as base_url:
        env = {**os.environ, "CUTOVER_API_URL": base_url, "CUTOVER_API_TOKEN": SANDBOX_TOKEN}
        command = [sys.executable, "-m", "runform", "plan", "runbooks", "-o", str(out)]
        subprocess.run(command, cwd=project, env=env, check=True, capture_output=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", help="a saved plan (default: make one)")
    parser.add_argument("--runbooks", type=int, default=50)
    parser.add_argument("--tasks", type=int, default=200)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--colour", action="store_true", help="a colour terminal's console")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(args.plan) if args.plan else planned(Path(folder), args.runbooks, args.tasks)
        plan = load_plan(path)

    def each_line(console: Console) -> None:
        lines = EachLine(console)
        plan_lines(plan, lines)
        lines.print()

    together, printed = best(args.runs, lambda console: render_text(plan, console), args.colour)
    one_by_one, _ = best(args.runs, each_line, args.colour)
    lines = printed.count("\n")
    print(
        f"{lines} lines: printed together {together * 1000:.1f} ms, "
        f"a print a line {one_by_one * 1000:.1f} ms (best of {args.runs})"
    )


if __name__ == "__main__":
    main()
