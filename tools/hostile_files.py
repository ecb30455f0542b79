#!/usr/bin/env python3
"""Write degenerate data files of about 4 MB each into OUTDIR (issue 13: memory bounded by a few
times the file size on any input). bench/hostile.sh and cli/tests/hostile.rs read them.

usage: tools/hostile_files.py OUTDIR [SIZE_BYTES]
"""
import os
import sys

SIZE = 4_000_000


def lines_up_to(size, header, line):
    """`header`, then `line(i)` for i = 0, 1, … until about `size` bytes."""
    lines = [header]
    total = len(header)
    i = 0
    while total < size:
        lines.append(line(i))
        total += len(lines[-1])
        i += 1
    return "".join(lines).encode()


def table(size, end):
    """A well-formed long table of about `size` bytes with `end` as line end."""
    return lines_up_to(
        size, "Kommune;Jahr;Wert" + end, lambda i: f"K{i // 20};{2000 + i % 20};{i % 10}{end}"
    )


def one_digit_cells(size, columns=1000):
    """A wide table of one-digit values: two bytes of the file a cell."""
    header = "Kommune;Jahr;" + ";".join(f"m{k}" for k in range(columns)) + "\n"

    def line(i):
        cells = ";".join(str((i + k) % 10) for k in range(columns))
        return f"K{i // 20};{2000 + i % 20};{cells}\n"

    return lines_up_to(size, header, line)


def new_municipality_each_line(size):
    """A long table whose every line is another municipality in another year and measure."""
    return lines_up_to(
        size,
        "Kommune;Jahr;Merkmal;Wert\n",
        lambda i: f"K{i};{1900 + (i * 7) % 201};m{i % 40};{i % 10}\n",
    )


def files(size):
    """(name, bytes) of every degenerate file."""
    wide = ";".join(["x"] * 20_001) + "\n"
    return [
        # One line without any line break.
        ("one-line.csv", b"x" * size),
        # Two million lines of one field each.
        ("one-field-lines.csv", b"1\n" * (size // 2)),
        # One line of two million empty fields.
        ("one-line-fields.csv", b";" * size + b"\n"),
        # One line of two million filled fields.
        ("one-line-cells.csv", b"x;" * (size // 2) + b"\n"),
        # Lines of 20,001 fields each: one more than a table may have.
        ("wide-lines.csv", (wide * max(1, size // len(wide))).encode()),
        # A quoted field that is never closed.
        ("open-quote.csv", b'Kommune;Jahr;Wert\n"' + b"x" * size),
        # Short lines of three fields (a plain, well-formed table of 20 years per municipality).
        ("short-lines.csv", table(size, "\n")),
        # The same with old Mac line ends: CR only.
        ("cr-lines.csv", table(size, "\r")),
        # A wide table of 1,000 measures of one digit each.
        ("one-digit-cells.csv", one_digit_cells(size)),
        # A new municipality on every line.
        ("new-municipality-each-line.csv", new_municipality_each_line(size)),
    ]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    size = int(sys.argv[2]) if len(sys.argv) > 2 else SIZE
    os.makedirs(out, exist_ok=True)
    for name, data in files(size):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        print(os.path.join(out, name))


if __name__ == "__main__":
    main()
