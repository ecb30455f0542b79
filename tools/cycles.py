#!/usr/bin/env python3
"""Import cycles between the files of one Rust crate: `python3 tools/cycles.py core/src`.

Reads every .rs file under the given source folder (the crate root is its lib.rs or main.rs),
collects the paths each file names (`use crate::…`, `use super::…`, `use self::…` and inline
`crate::a::b` paths), resolves each to the file that defines it (a module path maps to `x.rs`,
`x/mod.rs` or the folder module file `x.rs` beside `x/`; a root name `crate::Name` is followed
through the `pub use` lines of lib.rs, and a name re-exported by a folder's mod.rs through that
file's `use` lines, to the defining module) and prints every pair of files that import each
other, then every longer cycle (one strongly connected group of files a line). Exit 1 if there is
any, 0 if none.

Exempt, because they are not part of the one-way path: `#[cfg(test)]` modules (by convention a
file's `mod tests` at its bottom; everything from `#[cfg(test)]` followed by `mod` to the end of
the file is skipped), files named `testing.rs` (test helpers, compiled only for tests), and
declarations (`mod x;`), which are not imports. Standard library only.
"""

import os
import re
import sys

WORD = r"[A-Za-z_][A-Za-z0-9_]*"


def strip(text):
    """The text without comments, string contents and the trailing test module."""
    test = re.search(r"#\[cfg\(test\)\]\s*(pub(\([^)]*\))?\s*)?mod\s+\w+\s*\{", text)
    if test:
        text = text[: test.start()]
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
        elif c == '"' or text.startswith('r"', i) or text.startswith("r#", i):
            if c == "r":
                hashes = re.match(r"r(#*)\"", text[i:])
                if not hashes:
                    out.append(c)
                    i += 1
                    continue
                close = '"' + hashes.group(1)
                j = text.find(close, i + len(hashes.group(0)))
                i = n if j < 0 else j + len(close)
            else:
                j = i + 1
                while j < n and text[j] != '"':
                    j += 2 if text[j] == "\\" else 1
                i = j + 1
            out.append('""')
        elif c == "'" and re.match(r"'(\\.|[^\\'])'", text[i : i + 4]):
            i = text.index("'", i + 1) + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def expand(tree):
    """`a::{b, c::{d, e}}` → [[a, b], [a, c, d], [a, c, e]]; `x as y` keeps x."""
    tree = tree.strip()
    depth, cut = 0, None
    for k, ch in enumerate(tree):
        if ch == "{":
            if depth == 0 and cut is None:
                cut = k
            depth += 1
        elif ch == "}":
            depth -= 1
    if cut is None:
        head = re.sub(r"\s+as\s+\w+$", "", tree)
        return [[s for s in head.replace(" ", "").split("::") if s]]
    prefix = [s for s in tree[:cut].replace(" ", "").split("::") if s]
    inner = tree[cut + 1 : tree.rindex("}")]
    parts, depth, start = [], 0, 0
    for k, ch in enumerate(inner):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(inner[start:k])
            start = k + 1
    parts.append(inner[start:])
    paths = []
    for part in parts:
        if part.strip():
            for rest in expand(part):
                paths.append(prefix + [s for s in rest if s != "self"])
    return paths


class Crate:
    def __init__(self, root):
        self.root = root
        self.files = {}  # module path (tuple) → file path
        for folder, _, names in os.walk(root):
            for name in names:
                if not name.endswith(".rs"):
                    continue
                rel = os.path.relpath(os.path.join(folder, name), root)
                parts = rel[:-3].split(os.sep)
                if parts in (["lib"], ["main"]):
                    parts = []
                elif parts[-1] == "mod":
                    parts = parts[:-1]
                if tuple(parts) not in self.files or name in ("lib.rs",):
                    self.files[tuple(parts)] = os.path.join(folder, name)
        self.text = {m: strip(open(f, encoding="utf-8").read()) for m, f in self.files.items()}
        self.uses = {m: self.use_paths(m) for m in self.files}
        self.reexports = {m: self.pub_uses(m) for m in self.files}

    def use_paths(self, module):
        """Every path the module names, as absolute module paths from the crate root."""
        text = self.text[module]
        paths = []
        for stmt in re.finditer(r"\buse\s+([^;]+);", text):
            for path in expand(stmt.group(1)):
                paths.append(path)
        for inline in re.finditer(r"(?<![\w:])(crate|super|self)((?:::" + WORD + r")+)", text):
            paths.append([inline.group(1)] + inline.group(2).split("::")[1:])
        resolved = []
        for path in paths:
            absolute = self.absolute(module, path)
            if absolute is not None:
                resolved.append(absolute)
        return resolved

    def absolute(self, module, path):
        base = list(module)
        if not path:
            return None
        if path[0] == "crate":
            return path[1:]
        if path[0] in ("super", "self"):
            while path and path[0] in ("super", "self"):
                if path[0] == "super":
                    if not base:
                        return None
                    base = base[:-1]
                path = path[1:]
            return base + path
        # `use child::x` inside a folder module names its own child module.
        if tuple(base + [path[0]]) in self.files:
            return base + path
        return None

    def pub_uses(self, module):
        """Names the module re-exports (`pub use`, `pub(crate) use`): name → absolute path."""
        names = {}
        for stmt in re.finditer(r"\bpub(?:\([^)]*\))?\s+use\s+([^;]+);", self.text[module]):
            for path in expand(stmt.group(1)):
                absolute = self.absolute(module, path)
                if absolute:
                    names[path[-1]] = absolute
        alias = re.finditer(r"\bpub(?:\([^)]*\))?\s+use\s+([\w:]+)\s+as\s+(\w+)\s*[,;}]", self.text[module])
        for match in alias:
            absolute = self.absolute(module, match.group(1).split("::"))
            if absolute:
                names[match.group(2)] = absolute
        return names

    def resolve(self, path, seen=()):
        """The module (file) that defines the item a path names."""
        module = ()
        for k, segment in enumerate(path):
            child = module + (segment,)
            if child in self.files:
                module = child
                continue
            again = self.reexports.get(module, {}).get(segment)
            if again and tuple(again) not in seen:
                return self.resolve(list(again) + path[k + 1 :], seen + (tuple(again),))
            break
        return module

    def edges(self):
        graph = {}
        for module, paths in self.uses.items():
            if self.exempt(module):
                continue
            targets = set()
            for path in paths:
                target = self.resolve(path)
                if target != module and target in self.files and not self.exempt(target):
                    targets.add(target)
            graph[module] = targets
        return graph

    def exempt(self, module):
        return os.path.basename(self.files[module]) == "testing.rs"

    def name(self, module):
        return os.path.relpath(self.files[module], self.root)


def strongly_connected(graph):
    index, low, stack, on, groups, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            groups.append(group)

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return [g for g in groups if len(g) > 1]


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: cycles.py SOURCE_FOLDER")
    crate = Crate(sys.argv[1])
    graph = crate.edges()
    pairs = sorted(
        {tuple(sorted((crate.name(a), crate.name(b)))) for a in graph for b in graph[a] if a in graph.get(b, ())}
    )
    for a, b in pairs:
        print(f"{a} <-> {b}")
    longer = [g for g in strongly_connected(graph) if len(g) > 2]
    for group in longer:
        print("cycle: " + " -> ".join(sorted(crate.name(m) for m in group)))
    if pairs or longer:
        print(f"{len(pairs)} pair(s), {len(longer)} longer cycle group(s)", file=sys.stderr)
        sys.exit(1)
    print(f"no import cycles among {len(graph)} files")


if __name__ == "__main__":
    main()
