#!/usr/bin/env python3
"""Where a wasm module's bytes go: section sizes, then the biggest functions by code-section
bytes, grouped by crate and module path read from the "name" custom section.

Build with names kept (the cargo output before wasm-opt has them, e.g.
target/shipped/wasm32-unknown-unknown/wasm-app/flotilla_web.wasm), then:
    python3 scripts/wasm-size.py FILE.wasm [--top 40] [--depth 2] [--grep PATTERN]
Sizes are raw bytes of the unoptimised module: a guide to what is big, not gzip figures.
"""
import argparse
import re
import subprocess
import sys
from collections import defaultdict


def leb(data, pos):
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, pos


def name(data, pos):
    length, pos = leb(data, pos)
    return data[pos:pos + length].decode("utf-8", "replace"), pos + length


def sections(data):
    pos = 8
    while pos < len(data):
        sid = data[pos]
        size, start = leb(data, pos + 1)
        yield sid, start, size
        pos = start + size


def imported_functions(data, start):
    count, pos = leb(data, start)
    funcs = 0
    for _ in range(count):
        _, pos = name(data, pos)
        _, pos = name(data, pos)
        kind = data[pos]
        pos += 1
        if kind == 0:
            _, pos = leb(data, pos)
            funcs += 1
        elif kind == 1:  # table
            pos += 1
            flags, pos = leb(data, pos)
            _, pos = leb(data, pos)
            if flags & 1:
                _, pos = leb(data, pos)
        elif kind == 2:  # memory
            flags, pos = leb(data, pos)
            _, pos = leb(data, pos)
            if flags & 1:
                _, pos = leb(data, pos)
        elif kind == 3:  # global
            pos += 2
        elif kind == 4:  # tag
            pos += 1
            _, pos = leb(data, pos)
    return funcs


def demangle(names):
    try:
        out = subprocess.run(["rustfilt"], input="\n".join(names), capture_output=True,
                             text=True, check=True).stdout.split("\n")
        if len(out) >= len(names):
            return out[:len(names)]
    except (OSError, subprocess.CalledProcessError):
        pass
    return [simple_demangle(n) for n in names]


def simple_demangle(symbol):
    """Legacy Rust mangling (_ZN...E) to a path; other names unchanged."""
    match = re.match(r"_ZN(.*)E$", symbol)
    if not match:
        return symbol
    rest, parts = match.group(1), []
    while rest and rest[0].isdigit():
        digits = re.match(r"\d+", rest).group(0)
        length = int(digits)
        parts.append(rest[len(digits):len(digits) + length])
        rest = rest[len(digits) + length:]
    parts = [p[1:] if p.startswith("_$") else p for p in parts]
    if parts and re.fullmatch(r"h[0-9a-f]{16}", parts[-1]):
        parts.pop()
    text = "::".join(parts)
    if text.startswith("_$LT$"):
        text = text[1:]
    for code, char in (("$LT$", "<"), ("$GT$", ">"), ("$u20$", " "), ("$RF$", "&"), ("$C$", ","),
                       ("$BP$", "*"), ("$u7b$", "{"), ("$u7d$", "}"), ("$u5b$", "["),
                       ("$u5d$", "]"), ("$u27$", "'"), ("..", "::"), ("$LP$", "("), ("$RP$", ")")):
        text = text.replace(code, char)
    return text


def group_key(path, depth):
    """Crate/module of a function: for `<T as Trait>::f` the impl'd type's path (T)."""
    if path.startswith("<"):
        inner = path[1:]
        level, end = 0, len(inner)
        for i, ch in enumerate(inner):
            if ch == "<":
                level += 1
            elif ch == ">":
                if level == 0:
                    end = i
                    break
                level -= 1
            elif ch == " " and level == 0 and inner[i:i + 4] == " as ":
                end = i
                break
        path = inner[:end]
    path = re.sub(r"<.*", "", path)
    path = re.sub(r"^(&|\*|mut |const |dyn )+", "", path)
    parts = [p for p in path.split("::") if p]
    return "::".join(parts[:depth]) or "?"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("wasm")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--depth", type=int, default=2)
    parser.add_argument("--grep", default=None, help="only functions whose name matches (regex)")
    args = parser.parse_args()
    data = open(args.wasm, "rb").read()

    imports, bodies, names = 0, [], {}
    print("sections:")
    for sid, start, size in sections(data):
        label = str(sid)
        if sid == 0:
            label, _ = name(data, start)
        print(f"  {label:>24} {size:>10}")
        if sid == 2:
            imports = imported_functions(data, start)
        elif sid == 10:
            count, pos = leb(data, start)
            for _ in range(count):
                body, pos2 = leb(data, pos)
                bodies.append(body + (pos2 - pos))
                pos = pos2 + body
        elif sid == 0 and label == "name":
            _, pos = name(data, start)
            end = start + size
            while pos < end:
                kind = data[pos]
                length, pos = leb(data, pos + 1)
                if kind == 1:
                    count, p = leb(data, pos)
                    for _ in range(count):
                        index, p = leb(data, p)
                        names[index], p = name(data, p)
                pos += length
    if not names:
        print("no function names in this module (build without wasm-opt / strip)", file=sys.stderr)

    indexed = [(size, names.get(imports + i, f"func[{imports + i}]")) for i, size in enumerate(bodies)]
    readable = demangle([n for _, n in indexed])
    funcs = [(size, path) for (size, _), path in zip(indexed, readable)]
    if args.grep:
        funcs = [f for f in funcs if re.search(args.grep, f[1])]
    total = sum(size for size, _ in funcs)
    print(f"\n{len(funcs)} functions, {total} code bytes")

    groups = defaultdict(lambda: [0, 0])
    for size, path in funcs:
        entry = groups[group_key(path, args.depth)]
        entry[0] += size
        entry[1] += 1
    print(f"\ntop groups (depth {args.depth}):")
    for key, (size, count) in sorted(groups.items(), key=lambda kv: -kv[1][0])[:args.top]:
        print(f"  {size:>9} {size * 100 / max(total, 1):5.1f}% {count:>5}  {key}")
    print("\ntop functions:")
    for size, path in sorted(funcs, reverse=True)[:args.top]:
        print(f"  {size:>9}  {path[:200]}")


if __name__ == "__main__":
    main()
