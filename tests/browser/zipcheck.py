"""Reads a submission package (CONTRACT §8) independently of the app: the manifest, each
listed file's SHA-256 recomputed, and the names in the archive. Prints JSON.
Usage: python3 zipcheck.py PACKAGE.zip
       python3 zipcheck.py --tamper IN.zip OUT.zip   (one byte of data.csv changed)
       python3 zipcheck.py --texts ANY.zip           (every file's text by name)"""
import hashlib
import json
import sys
import zipfile

if sys.argv[1] == "--tamper":
    with zipfile.ZipFile(sys.argv[2]) as src, zipfile.ZipFile(sys.argv[3], "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = bytearray(src.read(info.filename))
            if info.filename == "data.csv":
                # The last digit of the last value: 0 <-> 1.
                i = max(i for i, b in enumerate(data) if chr(b).isdigit())
                data[i] = ord("1") if data[i] == ord("0") else ord("0")
            out.writestr(info.filename, bytes(data))
    sys.exit(0)

if sys.argv[1] == "--texts":
    with zipfile.ZipFile(sys.argv[2]) as z:
        print(json.dumps({name: z.read(name).decode("utf-8") for name in z.namelist()}))
    sys.exit(0)

with zipfile.ZipFile(sys.argv[1]) as z:
    manifest = json.loads(z.read("manifest.json"))
    hashes = {name: hashlib.sha256(z.read(name)).hexdigest() for name in z.namelist() if name != "manifest.json"}
    findings = z.read("findings.csv").decode("utf-8").splitlines()
    print(json.dumps({"manifest": manifest, "hashes": hashes, "names": sorted(z.namelist()),
                      "findings": findings, "data": z.read("data.csv").decode("utf-8").splitlines()}))
