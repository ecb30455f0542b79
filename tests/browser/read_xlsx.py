#!/usr/bin/env python3
"""Prints the cells of an XLSX file's sheets as JSON: {sheet: {"A1": value, …}}, numbers as
numbers, text as text. Standard library only (zipfile and ElementTree), so the browser tests
read the app's exports without installing anything.

Usage: read_xlsx.py FILE.xlsx
"""
import json
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def text_of(node):
    return "".join(t.text or "" for t in node.iter(f"{{{NS['m']}}}t"))


def main(path):
    book = zipfile.ZipFile(path)
    names = set(book.namelist())
    shared = []
    if "xl/sharedStrings.xml" in names:
        shared = [text_of(si) for si in ET.fromstring(book.read("xl/sharedStrings.xml")).findall("m:si", NS)]
    rels = {r.get("Id"): r.get("Target") for r in ET.fromstring(book.read("xl/_rels/workbook.xml.rels"))}
    out = {}
    for sheet in ET.fromstring(book.read("xl/workbook.xml")).find("m:sheets", NS):
        target = rels[sheet.get(REL)].lstrip("/")
        part = target if target.startswith("xl/") else "xl/" + target
        cells = {}
        for c in ET.fromstring(book.read(part)).iter(f"{{{NS['m']}}}c"):
            kind, v = c.get("t"), c.find("m:v", NS)
            if kind == "s" and v is not None:
                cells[c.get("r")] = shared[int(v.text)]
            elif kind == "inlineStr":
                cells[c.get("r")] = text_of(c)
            elif kind == "str" and v is not None:
                cells[c.get("r")] = v.text
            elif v is not None:
                cells[c.get("r")] = float(v.text)
        out[sheet.get("name")] = cells
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1])
