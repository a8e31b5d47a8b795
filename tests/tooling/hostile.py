"""A seeded generator of hostile runbook files, made by mutating the valid files in examples/.

Each file is built by one mutation kind (sometimes followed by a second, small one), chosen by a
`random.Random(seed)`, so a failing case can be rebuilt from the seed and its index alone: file
`i` depends only on `(seed, i)`, and `--count 40` yields the first 40 files of `--count 1000`.
The first `len(KINDS)` files go through every kind once (in a seeded order), so even a short run
covers them all; after that kinds are drawn by weight, the big ones (megabytes of text, aliases
repeating a big string) kept to about 5% so that a run of 1,000 stays quick.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLES_DIR = REPO_ROOT / "examples"
FILE_LIMIT = 10_000_000  # under runform's 10 MB (10 MiB) file limit, with room for the base

Mutation = Callable[[random.Random, bytes], bytes]


@dataclass(frozen=True)
class HostileCase:
    """One generated file: its index, the kinds applied (in order), its base example and bytes."""

    index: int
    kinds: tuple[str, ...]
    base: str
    content: bytes

    @property
    def name(self) -> str:
        """A file name that says how the file was made, e.g. `0007-alias_bomb-dr-failover.yaml`."""
        stem = self.base.removesuffix(".yaml").removesuffix("-template")
        return f"{self.index:04d}-{'+'.join(self.kinds)}-{stem}.yaml"


@cache
def _examples() -> tuple[tuple[str, bytes], ...]:
    """The valid example files the mutations start from (read once)."""
    files = tuple((p.name, p.read_bytes()) for p in sorted(EXAMPLES_DIR.glob("*.yaml")))
    if not files:
        raise FileNotFoundError(f"no examples/*.yaml under {REPO_ROOT}")
    return files


# --- helpers -----------------------------------------------------------------------------------

_SCALAR_LINE = re.compile(
    r"^(?P<lead>[ ]*(?:- )?)(?P<key>[A-Za-z_][A-Za-z0-9_ ]*): (?P<val>[^\s\[{&*!|>#][^\n]*)$",
    re.M,
)
_KEY_LINE = re.compile(r"^(?P<lead>[ ]*(?:- )?)(?P<key>[A-Za-z_][A-Za-z0-9_ ]*):(?=[ \n])", re.M)
_NAME_LINE = re.compile(r"^(?P<lead>[ ]*(?:- )?)(?P<key>name|description): (?P<val>[^\n]*)$", re.M)
_TASK_KEY = re.compile(r"^  - key: (?P<val>[^\n]+)$", re.M)
_TASK_NAME = re.compile(r"^  (?:- |  )name: (?P<val>[^\n]+)$", re.M)


def _text(data: bytes) -> str:
    return data.decode("utf-8")


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def _pick_match(rng: random.Random, pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    matches = list(pattern.finditer(text))
    return rng.choice(matches) if matches else None


def _replace_value(rng: random.Random, data: bytes, new: str, pattern: re.Pattern[str]) -> bytes:
    """Replace the value of one randomly chosen `key: value` line (found by `pattern`)."""
    text = _text(data)
    m = _pick_match(rng, pattern, text)
    if m is None:
        return data + f"\nrunbook_extra: {new}\n".encode()
    return (text[: m.start("val")] + new + text[m.end("val") :]).encode("utf-8", "surrogatepass")


def _names(text: str) -> list[str]:
    """Task keys and names the `after:` lists of a file may refer to."""
    found = [m.group("val").strip() for m in _TASK_KEY.finditer(text)]
    found += [m.group("val").strip() for m in _TASK_NAME.finditer(text)]
    return [n for n in found if n and not n.startswith(("#", '"', "'"))] or ["declare"]


def _append_tasks(data: bytes, block: str) -> bytes:
    """Append task items (text indented as under `tasks:`) to the end of the file."""
    text = _text(data)
    if not text.endswith("\n"):
        text += "\n"
    if "\ntasks:" not in text:
        text += "tasks:\n"
    return (text + block).encode()


def _misspell(rng: random.Random, word: str) -> str:
    if len(word) < 2:
        return word + "x"
    i = rng.randrange(len(word))
    how = rng.randrange(4)
    if how == 0:
        return word[:i] + word[i + 1 :]
    if how == 1:
        return word[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + word[i:]
    if how == 2 and i + 1 < len(word):
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + rng.choice("xyzqj") + word[i + 1 :]


def _yaml_dq(s: str) -> str:
    """A YAML double-quoted scalar for `s`, control characters written as escapes."""
    out = []
    for ch in s:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif code < 0x20 or 0x7F <= code <= 0x9F:
            out.append(f"\\x{code:02x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


# --- mutations ---------------------------------------------------------------------------------


def truncate(rng: random.Random, data: bytes) -> bytes:
    """A file cut off at a random byte, as by a full disk or an interrupted copy."""
    return data[: rng.randrange(len(data) + 1)]


def flip_bytes(rng: random.Random, data: bytes) -> bytes:
    """A few bytes XOR-ed with random values: stray NULs, tabs, invalid UTF-8, broken syntax."""
    buf = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        buf[rng.randrange(len(buf))] ^= rng.randint(1, 255)
    return bytes(buf)


def delete_lines(rng: random.Random, data: bytes) -> bytes:
    """Lines removed: keys without values, items losing their required fields."""
    lines = _lines(data)
    for _ in range(rng.randint(1, 10)):
        if lines:
            del lines[rng.randrange(len(lines))]
    return b"".join(lines)


def duplicate_lines(rng: random.Random, data: bytes) -> bytes:
    """Lines repeated in place: duplicate keys, duplicate tasks, odd indentation."""
    lines = _lines(data)
    for _ in range(rng.randint(1, 5)):
        i = rng.randrange(len(lines))
        lines[i:i] = [lines[i]] * rng.randint(1, 3)
    return b"".join(lines)


WRONG_VALUES = (
    "[a, b]", "[]", "{x: 1}", "{}", "42", "-7", "0", "3.5", "true", "false", "null", "~", '""',
    "[[1, 2], {a: b}]", "{name: {name: {name: x}}}", "2027-02-30", "0x1F", "0o17", "1_000",
    ".inf", "-.nan", "[user: alovelace]", "{user: [x]}", "''", "yes", "off",
)  # fmt: skip


def wrong_type(rng: random.Random, data: bytes) -> bytes:
    """A scalar field given a list, a map, a number, a bool or null."""
    out = data
    for _ in range(rng.randint(1, 3)):
        out = _replace_value(rng, out, rng.choice(WRONG_VALUES), _SCALAR_LINE)
    return out


def huge_number(rng: random.Random, data: bytes) -> bytes:
    """Unquoted integers of thousands of digits, floats out of range, durations of eons."""
    digits = rng.randint(5_000, 20_000)
    big = str(rng.randint(1, 9)) + "".join(rng.choices("0123456789", k=digits - 1))
    choice = rng.randrange(8)
    if choice == 0:
        value = big
    elif choice == 1:
        value = "-" + big
    elif choice == 2:
        value = rng.choice(("1e999", "-1e999", "1e-999", "1.7976931348623157e309", ".inf", ".NaN"))
    elif choice == 3:
        value = "0x" + "".join(rng.choices("0123456789abcdef", k=digits))
    elif choice == 4:
        value = big + rng.choice(("m", "h", "d", "s", "w"))
    elif choice == 5:
        value = f"{big[: rng.randint(5, 30)]}-01-01T00:00:00"
    elif choice == 6:
        value = big[: rng.randint(19, 40)]  # just past 64 bits
    else:
        value = f"{big}.{big[:100]}e{big[:50]}"
    text = _text(data)
    field = rng.choice(("duration", "level", "name", "key", "start_scheduled", "any"))
    if field != "any":
        pat = re.compile(rf"^(?P<lead>[ ]*(?:- )?)(?P<key>{field}): (?P<val>[^\n]*)$", re.M)
        if pat.search(text):
            return _replace_value(rng, data, value, pat)
    return _replace_value(rng, data, value, _SCALAR_LINE)


def huge_string(rng: random.Random, data: bytes) -> bytes:
    """A name or description of 1-9 MB (the file stays under the 10 MB limit)."""
    size = min(rng.randint(1_000_000, 9_000_000), FILE_LIMIT - len(data) - 100)
    unit = "".join(rng.choices("abcdefghijklmnopqrstuvwxyz ", k=rng.randint(1, 997))).strip()
    unit = unit or "A"
    body = (unit * (size // len(unit) + 1))[:size].strip() or "A"
    style = rng.randrange(3)
    if style == 0:
        value = body
    elif style == 1:
        value = '"' + body + '"'
    else:  # a folded block scalar of many lines
        step = 80
        indent = "      "
        value = ">-\n" + "".join(
            f"{indent}{body[i : i + step].strip() or 'x'}\n" for i in range(0, len(body), step)
        ).rstrip("\n")
    out = _replace_value(rng, data, value, _NAME_LINE)
    return out[:FILE_LIMIT]


def _bomb_block(rng: random.Random, indent: str) -> tuple[str, str]:
    """Nested anchors, each level `width` aliases of the last: (definitions, last anchor)."""
    width = rng.randint(2, 10)
    depth = rng.randint(4, 12)
    lines = []
    prefix = f"b{rng.randrange(1000)}_"
    for level in range(depth):
        name = f"{prefix}{level}"
        if level == 0:
            items = ", ".join(["lol"] * width)
        else:
            items = ", ".join([f"*{prefix}{level - 1}"] * width)
        body = f"&{name} [{items}]" if rng.random() < 0.8 else f"&{name} {{a: [{items}]}}"
        lines.append(f"{indent}{name}: {body}\n")
    return "".join(lines), f"{prefix}{depth - 1}"


def alias_bomb(rng: random.Random, data: bytes) -> bytes:
    """'Billion laughs': nested anchors and aliases that expand to billions of nodes."""
    text = _text(data)
    where = rng.randrange(4)
    if where == 0:  # under custom_fields of the runbook
        defs, last = _bomb_block(rng, "    ")
        block = f"  custom_fields:\n{defs}"
        return text.replace(
            "\nstreams:", "\n" + block + "  description: *" + last + "\nstreams:", 1
        ).encode()
    if where == 1:  # top-level keys before runbook:
        defs, last = _bomb_block(rng, "")
        return (
            defs + text.replace("\nrunbook:\n", f"\nrunbook:\n  description: *{last}\n", 1)
        ).encode()
    if where == 2:  # as tasks, each task an alias of the one before
        n = rng.randint(6, 20)
        block = "  - &t0 {name: t0, duration: 1m}\n"
        for i in range(1, n):
            refs = ", ".join([f"*t{i - 1}"] * rng.randint(2, 9))
            block += f"  - &t{i} {{name: t{i}, after: [{refs}]}}\n"
        return _append_tasks(data, block)
    # merge keys pulling a bomb into every task
    defs, last = _bomb_block(rng, "")
    block = "".join(f"  - <<: *{last}\n    name: merged {i}\n" for i in range(rng.randint(1, 50)))
    return _append_tasks(defs.encode() + data, block)


def alias_big_string(rng: random.Random, data: bytes) -> bytes:
    """A big string anchored once, aliased hundreds of times: cheap to parse, huge if copied."""
    size = rng.randint(50_000, 1_000_000)
    big = ("repeat me " * (size // 10 + 1))[:size].strip()
    count = rng.randint(100, 4_500)
    where = rng.randrange(3)
    if where == 0:
        block = f"  - name: holder\n    description: &big {big}\n"
        block += "".join(f"  - name: alias {i}\n    description: *big\n" for i in range(count))
        return _append_tasks(data, block)
    if where == 1:
        block = f"  - name: holder\n    description: &big {big}\n    after: ["
        block += ", ".join(["*big"] * count) + "]\n"
        return _append_tasks(data, block)
    text = _text(data)
    fields = "".join(f"    f{i}: *big\n" for i in range(count))
    block = f"  custom_fields:\n    holder: &big {big}\n{fields}"
    return text.replace("\nstreams:", "\n" + block + "streams:", 1).encode()


def nul_bytes(rng: random.Random, data: bytes) -> bytes:
    """NUL bytes: at the start, in a value, or only after the first 8 KB (past a binary sniff)."""
    where = rng.randrange(5)
    if where == 0:
        i = rng.randrange(len(data) + 1)
        return data[:i] + b"\0" * rng.randint(1, 4) + data[i:]
    if where == 1:  # past 8 KB: pad with a long comment when the example is short
        pad = b"" if len(data) > 9000 else b"# " + b"padding " * 1200 + b"\n"
        body = pad + data
        i = rng.randrange(8300, len(body))
        return body[:i] + b"\0" + body[i:]
    if where == 2:  # a NUL in a plain scalar, past 8 KB
        pad = b"" if len(data) > 9000 else b"# " + b"padding " * 1200 + b"\n"
        body = pad + data
        text = _text(body)
        late = [m for m in _NAME_LINE.finditer(text) if m.start() > 8300]
        if late:
            m = rng.choice(late)
            pos = m.start("val") + rng.randint(0, len(m.group("val")))
            return (text[:pos] + "\0" + text[pos:]).encode()
        return body + b"\0"
    if where == 3:  # the YAML escape \0 inside a double-quoted name: a NUL character in the value
        return _replace_value(rng, data, '"before\\0after"', _NAME_LINE)
    return data + b"\0" * rng.randint(1, 100)


C0 = [chr(c) for c in range(0x01, 0x20) if chr(c) not in "\n\t"] + ["\x7f"]
C1 = [chr(c) for c in range(0x80, 0xA0)]
ESC_SEQUENCES = (
    "\x1b[31mRED\x1b[0m",
    "\x1b[2K\x1b[1A",
    "\x1b]0;pwned\x07",
    "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\",
    "\x9b31mC1 CSI\x9b0m",
    "\x1bc",
    "\x1b[?1049h",
    "line\rOVERWRITE",
    "\x08\x08\x08gone",
    "\nPlan: 0 to create, 0 to update, 0 to delete.",  # a newline forging an output line
    "\n  forged.yaml:1:1: a forged problem",
)


def _insert_in_value(rng: random.Random, data: bytes, payload: str, quoting: str) -> bytes:
    """Put `payload` into one name/description value: raw in a plain, single- or double-quoted
    scalar, or as YAML escapes in a double-quoted one (then it loads and reaches the output)."""
    text = _text(data)
    m = _pick_match(rng, _NAME_LINE, text)
    old = (m.group("val") if m else "x").strip("\"'") or "x"
    if quoting == "plain":
        new = old + " " + payload + " tail"
    elif quoting == "single":
        new = "'" + old + payload + "'"
    elif quoting == "double-raw":
        new = '"' + old + payload.replace("\\", "\\\\").replace('"', '\\"') + '"'
    else:
        new = _yaml_dq(old + payload)
    if m is None:
        return data + f"\n# {new}\n".encode()
    return (text[: m.start("val")] + new + text[m.end("val") :]).encode()


def control_chars(rng: random.Random, data: bytes) -> bytes:
    """Raw C0 (\\x07, \\x1b, ...) and C1 (\\x85, \\x9b, ...) characters in plain and quoted
    scalars, or the same as YAML escapes in double quotes (those load, and reach the output)."""
    payload = "".join(rng.choice(C0 + C1 + ["\x1b", "\x9b", "\x85", "\x07"]) for _ in range(3))
    quoting = rng.choice(("plain", "single", "double-raw", "double-escaped", "double-escaped"))
    out = _insert_in_value(rng, data, payload, quoting)
    if rng.random() < 0.3:  # a bad reference carrying the same characters, so errors quote them
        block = f"  - name: probe\n    stream: {_yaml_dq('no such ' + payload)}\n"
        block += f"    after: [{_yaml_dq('missing' + payload)}]\n"
        out = _append_tasks(out, block)
    return out


def esc_sequences(rng: random.Random, data: bytes) -> bytes:
    """Terminal escape sequences (colours, cursor moves, OSC titles, hyperlinks) and newlines
    that forge output lines, in names and descriptions, raw or as YAML escapes, and in
    references that errors will quote."""
    seq = rng.choice(ESC_SEQUENCES)
    quoting = rng.choice(("plain", "double-raw", "double-escaped", "double-escaped"))
    out = _insert_in_value(rng, data, seq, quoting)
    if rng.random() < 0.5:
        field = rng.choice(("stream", "after", "key", "type", "level", "assignee"))
        value = _yaml_dq("bad " + seq)
        if field == "after":
            line = f"    after: [{value}]\n"
        elif field == "assignee":
            line = f"    assignees: [user: {value}]\n"
        else:
            line = f"    {field}: {value}\n"
        out = _append_tasks(out, f"  - name: {_yaml_dq('esc ' + seq)}\n{line}")
    return out


INVALID_UTF8 = (
    b"\xff", b"\xfe", b"\xc3\x28", b"\xa0\xa1", b"\xe2\x28\xa1", b"\xf0\x28\x8c\xbc",
    b"\xed\xa0\x80", b"\xc0\xaf", b"\xf8\x88\x80\x80\x80", b"\xe2\x82", b"\x80",
)  # fmt: skip


def invalid_utf8(rng: random.Random, data: bytes) -> bytes:
    """Bytes that are not UTF-8: stray continuation bytes, overlongs, surrogates, Latin-1 text."""
    how = rng.randrange(4)
    if how == 0:
        i = rng.randrange(len(data) + 1)
        return data[:i] + rng.choice(INVALID_UTF8) + data[i:]
    if how == 1:  # inside a value, so the offending line is a real one
        text = _text(data)
        m = _pick_match(rng, _NAME_LINE, text)
        pos = m.end("val") if m else len(text)
        return text[:pos].encode() + rng.choice(INVALID_UTF8) + text[pos:].encode()
    if how == 2:
        return _text(data).replace("e", "\u00e9", rng.randint(1, 50)).encode("latin-1")
    return _text(data).encode(rng.choice(("utf-16", "utf-16-le", "utf-16-be", "utf-32")))


def bom(rng: random.Random, data: bytes) -> bytes:
    """Byte-order marks: a UTF-8 BOM (valid), two of them, one mid-file, UTF-16/32 marks."""
    how = rng.randrange(5)
    if how == 0:
        return b"\xef\xbb\xbf" + data
    if how == 1:
        return b"\xef\xbb\xbf\xef\xbb\xbf" + data
    if how == 2:
        i = data.find(b"\n", rng.randrange(len(data))) + 1
        return data[:i] + b"\xef\xbb\xbf" + data[i:]
    if how == 3:
        return rng.choice((b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00")) + data
    return _replace_value(rng, data, "\ufeffname with BOM\ufeff", _NAME_LINE)


def crlf(rng: random.Random, data: bytes) -> bytes:
    """Windows line endings, mixed endings, and lone carriage returns."""
    how = rng.randrange(4)
    if how == 0:
        return data.replace(b"\n", b"\r\n")
    if how == 1:
        return b"".join(
            line.replace(b"\n", b"\r\n") if rng.random() < 0.5 else line for line in _lines(data)
        )
    if how == 2:
        return data.replace(b"\n", b"\r")
    lines = _lines(data)
    i = rng.randrange(len(lines))
    lines[i] = lines[i].rstrip(b"\n") + b"\r\r\n"
    return b"".join(lines)


def multi_document(rng: random.Random, data: bytes) -> bytes:
    """Several YAML documents in one file, explicit document markers, empty documents."""
    other = rng.choice(_examples())[1]
    how = rng.randrange(5)
    if how == 0:
        return data + b"\n---\n" + other
    if how == 1:
        return b"---\n" + data + b"...\n---\n" + other
    if how == 2:
        return b"---\n" + data  # one document, explicitly started: valid
    if how == 3:
        return data + b"\n---\n...\n---\n"
    return b"--- |\n  a literal\n---\n" + data


def cycle(rng: random.Random, data: bytes) -> bytes:
    """Predecessor loops: a self-loop, long rings of new tasks, or an old task made to wait for
    the last one."""
    text = _text(data)
    how = rng.randrange(3)
    if how == 0:
        n = rng.randint(1, 60)
        block = "".join(
            f"  - key: loop-{i}\n    name: Loop task {i}\n    duration: 1m\n"
            f"    after: [loop-{(i + 1) % n}]\n"
            for i in range(n)
        )
        return _append_tasks(data, block)
    if how == 1:
        n = rng.randint(2, 30)
        block = "".join(
            f"  - name: Ring {i}\n"
            f"    after: [Ring {(i + rng.choice((1, n - 1))) % n}, Ring {(i + 1) % n}]\n"
            for i in range(n)
        )
        return _append_tasks(data, block)
    keys = [m for m in _TASK_KEY.finditer(text)]
    if len(keys) < 2:
        return _append_tasks(data, "  - key: me\n    name: Me\n    after: [me]\n")
    first = keys[0]
    last = keys[-1].group("val").strip()
    insert = f"\n    after: [{last}]"
    pos = first.end()
    return (text[:pos] + insert + text[pos:]).encode()


def misspelt_after(rng: random.Random, data: bytes) -> bytes:
    """Hundreds to 2,000 `after:` references naming nothing, each close to a real name."""
    names = _names(_text(data))
    n = rng.randint(200, 2_000)
    refs = [_misspell(rng, rng.choice(names)) for _ in range(n)]
    if rng.random() < 0.5:
        quoted = ", ".join(_yaml_dq(r) for r in refs)
        return _append_tasks(data, f"  - name: Waits for everything\n    after: [{quoted}]\n")
    block = "".join(
        f"  - name: Misspelt {i}\n    after: [{_yaml_dq(r)}]\n" for i, r in enumerate(refs)
    )
    return _append_tasks(data, block)


TAGS = (
    "!!python/object:os.system", "!!python/object/apply:os.system [\"echo pwned\"]",
    "!!python/name:os.system", "!!python/object/new:os.system [x]", "!custom x", "!custom",
    "!!binary aGVsbG8=", "!!set {a, b}", "!!omap [a: 1]", "!!str 5", "!!int \"5\"",
    "!!float nope", "!<tag:yaml.org,2002:str> x", "!!map {}", "!!seq []", "!!timestamp 2027-01-01",
    "!!null ''", "!!bool maybe", "! plain", "!<!> x", "!!merge x", "!<tag:example.com,2000:x> y",
)  # fmt: skip


def yaml_tags(rng: random.Random, data: bytes) -> bytes:
    """Explicit YAML tags: Python object constructors, custom tags, !!binary, %TAG directives."""
    how = rng.randrange(4)
    if how == 0:
        return (
            b"--- !!python/object:os.system\n" + data
            if rng.random() < 0.5
            else (b"%TAG !e! tag:example.com,2000:\n--- !e!thing\n" + data)
        )
    out = data
    for _ in range(rng.randint(1, 3)):
        out = _replace_value(rng, out, rng.choice(TAGS), _SCALAR_LINE)
    return out


def deep_nesting(rng: random.Random, data: bytes) -> bytes:
    """Nesting far past any runbook's needs: flow lists and maps, block maps, nested list items."""
    depth = rng.choice((65, 100, 1_000, 10_000, 100_000))
    how = rng.randrange(4)
    if how == 0:
        value = "[" * depth + "x" + "]" * depth
    elif how == 1:
        value = "{a: " * depth + "x" + "}" * depth
    elif how == 2:  # block mappings, two spaces deeper each level, under the runbook
        depth = min(depth, 1_500)
        block = "".join("  " * (i + 2) + "a:\n" for i in range(depth)) + "  " * (depth + 2) + "x\n"
        text = _text(data)
        return text.replace("\nrunbook:\n", "\nrunbook:\n  custom_fields:\n" + block, 1).encode()
    else:
        value = "[" * depth  # unclosed
    return _replace_value(rng, data, value, _NAME_LINE)


WRONG_KEYS = (
    "[a, b]", "{a: 1}", "1", "-1", "true", "null", "~", "3.5", "2027-01-01", '""', "''", "<<",
    "name ", "Name", "NAME", "n\u0430me", "na\u200bme", "key\x1b[31m", "k" * 5_000,
    "? [a, b]\n  :", "? |\n    literal\n  :", "\"\\x1b[2Kkey\"",
)  # fmt: skip


def wrong_keys(rng: random.Random, data: bytes) -> bytes:
    """Keys that are not simple text: lists, maps, numbers, bools, null, merge keys, look-alikes."""
    out = _text(data)
    for _ in range(rng.randint(1, 3)):
        m = _pick_match(rng, _KEY_LINE, out)
        if m is None:
            break
        key = rng.choice(WRONG_KEYS)
        if key.startswith("?"):  # an explicit key: `? key` then `: value` on the next line
            pad = " " * len(m.group("lead"))
            key = key.replace("\n  ", "\n" + pad).removesuffix(":")
            out = out[: m.start("key")] + key + out[m.end("key") :]
        else:
            out = out[: m.start("key")] + key + out[m.end("key") :]
    return out.encode("utf-8", "surrogatepass")


def tabs(rng: random.Random, data: bytes) -> bytes:
    """Tabs in indentation and after colons."""
    lines = _lines(data)
    for _ in range(rng.randint(1, 5)):
        i = rng.randrange(len(lines))
        if lines[i].startswith(b"  "):
            lines[i] = b"\t" + lines[i][2:]
        else:
            lines[i] = lines[i].replace(b": ", b":\t", 1)
    return b"".join(lines)


def variables(rng: random.Random, data: bytes) -> bytes:
    """`${var.…}` references that are undefined, unterminated, nested or escaped."""
    value = rng.choice(
        (
            "${var.nope}", "${var.}", "${", "${var.a", "$${var.x}", "${var.${var.x}}",
            "${env.HOME}", "${var.x\x1b[31m}", "${ var.x }", "${var.x}" * 500,
            _yaml_dq("${var.\x1b[2K}"),
        )
    )  # fmt: skip
    return _replace_value(rng, data, value, _SCALAR_LINE)


# The kinds, each with its weight in draws after the first pass through all of them.
KINDS: dict[str, tuple[Mutation, float]] = {
    "truncate": (truncate, 6),
    "flip_bytes": (flip_bytes, 8),
    "delete_lines": (delete_lines, 6),
    "duplicate_lines": (duplicate_lines, 6),
    "wrong_type": (wrong_type, 8),
    "huge_number": (huge_number, 5),
    "huge_string": (huge_string, 1.5),
    "alias_bomb": (alias_bomb, 4),
    "alias_big_string": (alias_big_string, 1.5),
    "nul_bytes": (nul_bytes, 4),
    "control_chars": (control_chars, 8),
    "esc_sequences": (esc_sequences, 8),
    "invalid_utf8": (invalid_utf8, 4),
    "bom": (bom, 3),
    "crlf": (crlf, 3),
    "multi_document": (multi_document, 3),
    "cycle": (cycle, 4),
    "misspelt_after": (misspelt_after, 3),
    "yaml_tags": (yaml_tags, 5),
    "deep_nesting": (deep_nesting, 3),
    "wrong_keys": (wrong_keys, 6),
    "tabs": (tabs, 2),
    "variables": (variables, 2),
}
BIG_KINDS = frozenset({"huge_string", "alias_big_string"})


def hostile_cases(seed: int, count: int) -> Iterator[HostileCase]:
    """The cases for `seed`, one at a time (only one file's bytes held at once)."""
    master = random.Random(seed)
    names = list(KINDS)
    weights = [KINDS[k][1] for k in names]
    first_pass = names[:]
    master.shuffle(first_pass)
    small = [k for k in names if k not in BIG_KINDS]
    for index in range(count):
        kind = first_pass[index] if index < len(first_pass) else master.choices(names, weights)[0]
        rng = random.Random(master.getrandbits(64))
        base_name, base = rng.choice(_examples())
        kinds = [kind]
        content = KINDS[kind][0](rng, base)
        if kind not in BIG_KINDS and rng.random() < 0.2:
            extra = rng.choice(small)
            try:
                content = KINDS[extra][0](rng, content)
                kinds.append(extra)
            except (UnicodeDecodeError, ValueError, IndexError):
                pass  # the first mutation left text the second cannot parse: keep the first
        yield HostileCase(index, tuple(kinds), base_name, content[:FILE_LIMIT])


def hostile_files(seed: int, count: int) -> Iterator[tuple[str, bytes]]:
    """`(file name, content)` for `count` hostile files, the same bytes for the same seed."""
    for case in hostile_cases(seed, count):
        yield case.name, case.content
