#!/usr/bin/env python3
"""Seed corpus and dictionary for fuzz_lookup, from kpep plists.

  lookup_seeds.py OUT_DIR DICT_FILE PLIST_DIR...

For every database of the folders, read with plistlib: seed files (byte 0:
a database number, byte 1: mode and detail size, then lines separated by
'\\n': the database's name and event names) holding single events, aliases,
sets of several events in other case, and a set one too large; and a
libFuzzer dictionary of every event and alias name.  Databases kpmc's
catalog does not hold still give names (they exercise the unknown paths).
"""
import os
import plistlib
import random
import sys


def load(dirs):
    dbs = {}
    for d in dirs:
        if not os.path.isdir(d):
            continue
        for root, _, files in os.walk(d):
            for f in sorted(files):
                if not f.endswith(".plist") or f.startswith("cpu_"):
                    continue
                try:
                    with open(os.path.join(root, f), "rb") as fh:
                        p = plistlib.load(fh)
                    cpu = p["system"]["cpu"]
                    dbs.setdefault(str(p["name"]), (list(cpu["events"]), dict(cpu.get("aliases", {}))))
                except Exception:
                    continue  # the fixtures of failures
    return dbs


def main():
    out, dict_file, dirs = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.makedirs(out, exist_ok=True)
    dbs = load(dirs)
    order = sorted(dbs)
    rnd = random.Random(1)
    names = set()
    k = 0

    def seed(db_pos, flags, items):
        nonlocal k
        with open(os.path.join(out, "seed%05d" % k), "wb") as f:
            lines = [order[db_pos]] + items
            f.write(bytes([db_pos % 256, flags]) + b"\n".join(s.encode("utf-8", "replace") for s in lines))
        k += 1

    for pos, name in enumerate(order):
        events, aliases = dbs[name]
        names.update(events)
        names.update(aliases)
        for e in events[:40]:
            seed(pos, rnd.randrange(16), [e])
        for a in aliases:
            seed(pos, rnd.randrange(16), [a])
        for size in (2, 3, 4, 6, 8, 10, 17):
            if len(events) >= size:
                pick = rnd.sample(events, size)
                seed(pos, rnd.randrange(16), [s.lower() if rnd.random() < 0.3 else s for s in pick])
    with open(dict_file, "w") as f:
        for n in sorted(names):
            if all(32 <= ord(c) < 127 and c not in '"\\' for c in n):
                f.write('"%s"\n' % n)
    print("%d seeds from %d databases, %d dictionary words" % (k, len(order), len(names)))


if __name__ == "__main__":
    main()
