#!/usr/bin/env python3
"""The Python side of the table-file benchmark (bench/bench.mjs), independent of the project.

    table_check.py expect TABLE      what a correct load gives: data rows, records, checksum
    table_check.py got RECORDS.csv   records and checksum of `vergleichsring load --format csv`
    table_check.py baseline TABLE    Python's csv module on the same file: seconds to parse it,
                                     and to parse it and write its long records as CSV
    table_check.py cli CLI TABLE     `CLI load TABLE --format csv`: seconds, peak memory of the
                                     process, and records and checksum of what it printed

The expected cells come from ../shared/tools/conformance/genesis_check.py, the project's
independent GENESIS parser. The checksum adds up a CRC of every record (region code, year,
dimensions, measure key, value), so it does not depend on the order of the records.
"""
import csv
import importlib.util
import io
import os
import resource
import subprocess
import sys
import tempfile
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
    count, total = records_of(path)
    print(f"records={count} checksum={total:x}")


def records_of(path):
    """Records and checksum of a file of long records (`vergleichsring load --format csv`)."""
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
    return count, total & (2**64 - 1)


def cli(program, table):
    with tempfile.NamedTemporaryFile(suffix=".csv") as out:
        t0 = time.perf_counter()
        done = subprocess.run([program, "load", table, "--format", "csv"], stdout=out, stderr=subprocess.PIPE)
        seconds = time.perf_counter() - t0
        if done.returncode != 0:
            print(f"exit={done.returncode} {done.stderr.decode('utf-8', 'replace').strip()[-200:]}")
            return
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        count, total = records_of(out.name)
    print(f"seconds={seconds:.4f} peak_kb={peak_kb} records={count} checksum={total:x}")


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
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"parse_seconds={parsed:.4f} parse_write_seconds={written:.4f} peak_kb={peak_kb}")


if __name__ == "__main__":
    {"expect": expect, "got": got, "baseline": baseline, "cli": cli}[sys.argv[1]](*sys.argv[2:])
