"""A stand-in for GitHub's `gh` CLI: the `gh api` calls runform's pipelines make, over a JSON
file instead of GitHub (comments of pull requests, pull requests of commits).

It answers as GitHub's REST API does for these endpoints, chooses the method as `gh api` does
(GET, or POST once a field is given), and runs `--jq` filters through the real `jq`, as gh
runs them through its own jq. Anything else exits 2, naming what it was not written for, so a
pipeline that starts using more of gh fails its test instead of passing by accident.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

STATE = Path(os.environ["GH_STANDIN_STATE"])


def main(argv: list[str]) -> int:
    if not argv or argv[0] != "api":
        return _refuse(f"only `gh api` is stood in for, not `gh {' '.join(argv[:1])}`")
    if not os.environ.get("GH_TOKEN"):
        print("gh: set the GH_TOKEN environment variable in a workflow", file=sys.stderr)
        return 4
    method, jq, fields, endpoint = None, None, {}, None
    args = iter(argv[1:])
    for arg in args:
        if arg in ("-X", "--method"):
            method = next(args)
        elif arg == "--paginate":
            continue  # one page holds everything here
        elif arg == "--jq":
            jq = next(args)
        elif arg in ("-F", "--field", "-f", "--raw-field"):
            key, _, value = next(args).partition("=")
            if value.startswith("@"):
                value = Path(value[1:]).read_text(encoding="utf-8")
            fields[key] = value
        elif arg.startswith("-"):
            return _refuse(f"gh api option {arg}")
        else:
            endpoint = arg
    if endpoint is None:
        return _refuse("gh api with no endpoint")
    method = method or ("POST" if fields else "GET")
    state = json.loads(STATE.read_text(encoding="utf-8"))
    state.setdefault("calls", []).append([method, endpoint])
    status, answer = _answer(state, method, endpoint.lstrip("/"), fields)
    STATE.write_text(json.dumps(state), encoding="utf-8")
    if status >= 400:
        print(f"gh: {answer.get('message')} (HTTP {status})", file=sys.stderr)
        return 1
    text = json.dumps(answer)
    if jq is None:
        print(text)
        return 0
    done = subprocess.run(["jq", "-r", jq], input=text, capture_output=True, text=True)
    sys.stdout.write(done.stdout)
    sys.stderr.write(done.stderr)
    return done.returncode


def _answer(state: dict, method: str, endpoint: str, fields: dict) -> tuple[int, object]:
    repo = state["repository"]
    comments = state.setdefault("comments", [])
    on_issue = re.fullmatch(rf"repos/{re.escape(repo)}/issues/(\d+)/comments", endpoint)
    one = re.fullmatch(rf"repos/{re.escape(repo)}/issues/comments/(\d+)", endpoint)
    pulls = re.fullmatch(rf"repos/{re.escape(repo)}/commits/([0-9a-f]+)/pulls", endpoint)
    if on_issue and method == "GET":
        number = int(on_issue.group(1))
        return 200, [c for c in comments if c["issue"] == number]
    if on_issue and method == "POST":
        if "body" not in fields:
            return 422, {"message": "body is missing"}
        state["next_id"] = state.get("next_id", 1000) + 1
        comment = {
            "id": state["next_id"],
            "issue": int(on_issue.group(1)),
            "body": fields["body"],
            "user": {"login": state["login"]},
        }
        comments.append(comment)
        return 201, comment
    if one and method == "PATCH":
        for comment in comments:
            if comment["id"] == int(one.group(1)):
                if comment["user"]["login"] != state["login"]:
                    return 403, {"message": "Resource not accessible by integration"}
                comment["body"] = fields["body"]
                return 200, comment
        return 404, {"message": "Not Found"}
    if pulls and method == "GET":
        numbers = state.get("commit_pulls", {}).get(pulls.group(1), [])
        return 200, [{"number": n, "state": "closed"} for n in numbers]
    return 404, {"message": f"Not Found (the stand-in has no {method} {endpoint})"}


def _refuse(what: str) -> int:
    print(f"stand-in gh: not written for {what}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
