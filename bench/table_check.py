#!/usr/bin/env python3
"""The Python side of the table-file benchmark (bench/bench.mjs), independent of the project.

    table_check.py expect TABLE      what a correct load gives: data rows, records, checksum
    table_check.py got RECORDS.csv   records and checksum of `vergleichsring load --format csv`
    table_check.py baseline TABLE    Python's csv module on the same file: seconds to parse it,
                                     and to parse it and write its long records as CSV

The expected cells come from ../shared/tools/conformance/genesis_check.py, the project's
independent GENESIS parser. The checksum adds up a CRC of every record (region code, year,
dimensions, measure key, value), so it does not depend on the order of the records.
"""
import csv
import importlib.util
import io
import os
import sys
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
CONFORMANCE = os.path.join(HERE, "..", "..", "shared", "tools", "conformance", "genesis_check.py")
STANDARD = ("municipality", "code", "year", "measure", "value", "reason")


def record_crc(code, year, dims, measure, value):
    shown = "" if value is None else format(float(value), ".12g")
    text = "\x1f".join([code, str(year), "\x1e".join(dims), measure, shown])
    return zlib.crc32(text.encode("utf-8"))


def expect(path):
    spec = importlib.util.spec_from_file_location("genesis_check", os.environ.get("GENESIS_CHECK", CONFORMANCE))
    genesis = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(genesis)
    cells = genesis.read(path)
    total = sum(record_crc(code, year, dims, measure, value)
                for (code, year, dims, measure), (_, value) in cells.items())
    print(f"rows={data_rows(path)} records={len(cells)} checksum={total & (2**64 - 1):x}")


def got(path):
    total = count = 0
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, [])
        dims = [i for i, name in enumerate(header) if name not in STANDARD]
        at = {name: i for i, name in enumerate(header)}
        for r in reader:
            value = r[at["value"]]
            total += record_crc(r[at["code"]], int(r[at["year"]]), tuple(r[i] for i in dims),
                                r[at["measure"]], float(value) if value else None)
            count += 1
    print(f"records={count} checksum={total & (2**64 - 1):x}")


def genesis_rows(text):
    """The data rows of a GENESIS export: below the header block (first cell empty), above the
    `___` footer; and the column names (header cells top to bottom, repeats dropped)."""
    records = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    header, rows = [], []
    for r in records:
        if r and r[0] == "" and not rows:
            header.append(r)
        elif header and r and r[0]:
            if r[0].startswith("___"):
                break
            rows.append(r)
    width = max(len(h) for h in header)
    names = []
    for j in range(width):
        parts = []
        for h in header:
            c = h[j].strip() if j < len(h) else ""
            if c and (not parts or parts[-1] != c):
                parts.append(c)
        names.append(" ".join(parts))
    return names, rows


def data_rows(path):
    return len(genesis_rows(decode(path))[1])


def decode(path):
    raw = open(path, "rb").read()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def baseline(path):
    t0 = time.perf_counter()
    names, rows = genesis_rows(decode(path))
    parsed = time.perf_counter() - t0
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(STANDARD)
    lead = next(j for j, n in enumerate(names) if n)
    for r in rows:
        year, code, name = r[0].strip()[-4:], r[1].strip(), r[2].strip()
        for j in range(lead, min(len(r), len(names))):
            v = r[j].strip()
            try:
                value, reason = float(v.replace(".", "").replace(",", ".")), ""
            except ValueError:
                value, reason = "", v
            w.writerow((name, code, year, names[j], value, reason))
    written = time.perf_counter() - t0
    print(f"parse_seconds={parsed:.4f} parse_write_seconds={written:.4f} records={out.getvalue().count(chr(10)) - 1}")


if __name__ == "__main__":
    {"expect": expect, "got": got, "baseline": baseline}[sys.argv[1]](sys.argv[2])
