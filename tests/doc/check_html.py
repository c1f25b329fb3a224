#!/usr/bin/env python3
"""Checks the site `kpmc doc` writes.

  * every page parses as XML (xmllint --noout) and as HTML (xmllint --html
    --noout: no error except libxml2 2.9 not knowing the HTML5 elements used);
  * the site is self-contained: no link or resource with a scheme or on
    another host, every relative file exists, every #fragment exists;
  * every event of every database (from `kpmc list --all --format json`) has
    exactly one row in its database's page, with its name, aliases, selector,
    and exactly the counters it may use filled in the grid; every event name
    is a row of the comparison page; the index lists every database;
  * table markup: captions, th scope, one aria-sort per sortable table,
    labels for inputs, lang on html;
  * the colours of kpmc.css have a contrast ratio of at least 4.5:1 (text)
    in the light and the dark scheme.

usage: check_html.py KPMC WORK_DIR
Exit status 0 pass, 1 fail, 77 skipped (no xmllint).
"""
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from kpmctest import Checks, skip  # noqa: E402

HTML5_TAGS = {"nav", "main", "header", "footer", "output", "wbr"}


class Page(html.parser.HTMLParser):
    """The parts of a page the checks need."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids = set()
        self.links = []          # (attribute, value)
        self.tables = []         # dicts
        self.labels = set()
        self.inputs = []
        self.html_lang = None
        self.stack = []
        self.rows = []           # event rows of the events table
        self._row = None
        self._text_target = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "html":
            self.html_lang = a.get("lang")
        if "id" in a:
            self.ids.add(a["id"])
        for attr in ("href", "src", "action", "srcset", "poster"):
            if attr in a:
                self.links.append((attr, a[attr]))
        if tag == "label" and "for" in a:
            self.labels.add(a["for"])
        if tag == "input":
            self.inputs.append(a)
        if tag == "table":
            self.tables.append({"attrs": a, "caption": False, "head_th": [], "body_th": [], "section": None})
        if self.tables:
            t = self.tables[-1]
            if tag == "caption":
                t["caption"] = True
            if tag in ("thead", "tbody"):
                t["section"] = tag
            if tag == "th":
                t["head_th" if t["section"] == "thead" else "body_th"].append(a)
        in_events = self.tables and self.tables[-1]["attrs"].get("id") == "events-table"
        if in_events and tag == "tr" and self.tables[-1]["section"] == "tbody":
            self._row = {"id": a.get("id"), "codes": [], "cells": [], "on": [], "selector": None}
            self.rows.append(self._row)
        if self._row is not None:
            if tag == "code" and "q" in classes:
                self._row["codes"].append("")
                self._text_target = "codes"
            if tag == "span" and "c" in classes and "on" in classes:
                self._row["on"].append("")
                self._text_target = "on"
            if tag == "td" and a.get("data-label") == "Selector":
                self._row["selector"] = a.get("data-sort")

    def handle_endtag(self, tag):
        if tag in ("code", "span"):
            self._text_target = None
        if tag == "tr":
            self._row = None
        if tag == "table" and self.tables:
            self.tables[-1]["section"] = None

    def handle_data(self, data):
        if self._row is not None and self._text_target:
            self._row[self._text_target][-1] += data


def parse(path):
    p = Page()
    with open(path, encoding="utf-8") as f:
        p.feed(f.read())
    return p


# ---- colour contrast (WCAG 2 relative luminance) ----

def luminance(hex_colour):
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    rgb = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a, b):
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def css_schemes(css):
    """The --custom-property values of :root, light and dark."""
    blocks = re.findall(r":root\s*\{([^}]*)\}", css)
    schemes = []
    base = {}
    for i, block in enumerate(blocks):
        values = dict(base)
        values.update(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{3,6})", block))
        if i == 0:
            base = values
        schemes.append(values)
    return schemes


TEXT_PAIRS = [("--fg", "--bg"), ("--muted", "--bg"), ("--link", "--bg"), ("--fg", "--stripe"),
              ("--muted", "--stripe"), ("--link", "--stripe"), ("--fg", "--head"), ("--muted", "--head"),
              ("--off-fg", "--off-bg"), ("--off-fg", "--stripe"), ("#ffffff", "--on"), ("#ffffff", "--on-fixed"),
              ("#ffffff", "--on-power"), ("--warn-fg", "--warn-bg"), ("--fg", "--mark-bg"),
              ("--warn-fg", "--mark-bg")]


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    kpmc, work = sys.argv[1:]
    if not shutil.which("xmllint"):
        return skip("xmllint not found (Debian: libxml2-utils)")
    site = os.path.join(work, "doc-site")
    shutil.rmtree(site, ignore_errors=True)
    r = subprocess.run([kpmc, "doc", "--out", site], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode != 0:
        print("kpmc doc failed: " + r.stderr.decode())
        return 1
    catalog = json.loads(subprocess.run([kpmc, "list", "--all", "--format", "json"], check=True,
                                        stdout=subprocess.PIPE).stdout)["databases"]
    c = Checks()

    generic = json.loads(subprocess.run([kpmc, "list", "--generic", "--format", "json"], check=True,
                                        stdout=subprocess.PIPE).stdout)["generic"]
    expected_files = {"index.html", "compare.html", "generic.html", "kpmc.css", "kpmc.js"} | \
        {d["name"] + ".html" for d in catalog}
    c.expect(set(os.listdir(site)) == expected_files,
             "site files: %s" % sorted(set(os.listdir(site)) ^ expected_files))

    pages = {}
    for name in sorted(f for f in os.listdir(site) if f.endswith(".html")):
        path = os.path.join(site, name)
        x = subprocess.run(["xmllint", "--noout", path], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        c.expect(x.returncode == 0 and not x.stderr, "%s is not well-formed XML: %s" % (name, x.stderr[:400]))
        h = subprocess.run(["xmllint", "--html", "--noout", path], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        errors = [ln for ln in h.stderr.decode().splitlines() if "error" in ln.lower()
                  and not re.search(r"Tag (%s) invalid" % "|".join(HTML5_TAGS), ln)]
        c.expect(h.returncode == 0 and not errors, "%s: HTML parser errors: %s" % (name, errors[:3]))
        pages[name] = parse(path)

    # Self-contained: relative links only, to files and fragments that exist.
    for name, p in pages.items():
        c.expect(p.html_lang == "en", "%s: <html lang> missing" % name)
        for attr, value in p.links:
            if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//", value):
                c.expect(False, "%s: %s=%r leaves the site" % (name, attr, value))
                continue
            target, _, frag = value.partition("#")
            target = target or name
            c.expect(os.path.isfile(os.path.join(site, target)), "%s: %s=%r: no such file" % (name, attr, value))
            if frag and target in pages:
                c.expect(frag in pages[target].ids, "%s: %s=%r: no such id" % (name, attr, value))
        for t in p.tables:
            c.expect(t["caption"], "%s: a table has no caption" % name)
            c.expect(all(th.get("scope") == "col" for th in t["head_th"]), "%s: header cell without scope=col" % name)
            c.expect(all(th.get("scope") == "row" for th in t["body_th"]), "%s: row header without scope=row" % name)
            if "sortable" in (t["attrs"].get("class") or "").split():
                sorted_cols = [th for th in t["head_th"] if th.get("aria-sort")]
                c.expect(len(sorted_cols) == 1, "%s: a sortable table has %d aria-sort headers" % (name, len(sorted_cols)))
        for inp in p.inputs:
            c.expect(inp.get("id") in p.labels, "%s: input %s has no label" % (name, inp.get("id")))

    # Every event of every database, with its selector, aliases and counters.
    compare = pages["compare.html"]
    compare_names = set()
    for t in re.findall(r'<th scope="row" class="q">([^<]*)</th>', open(os.path.join(site, "compare.html")).read()):
        compare_names.add(t)
    index_links = {v for a, v in pages["index.html"].links if a == "href"}
    for db in catalog:
        page = pages.get(db["name"] + ".html")
        c.expect(db["name"] + ".html" in index_links, "index.html does not link %s" % db["name"])
        if not page:
            continue
        rows = {r["id"]: r for r in page.rows}
        c.expect(len(page.rows) == len(db["events"]) == len(rows),
                 "%s: %d rows for %d events" % (db["name"], len(page.rows), len(db["events"])))
        for e in db["events"]:
            row = rows.get("ev-" + e["name"])
            if not row:
                c.expect(False, "%s: no row for %s" % (db["name"], e["name"]))
                continue
            c.expect(row["codes"] == [e["name"]] + e["aliases"],
                     "%s %s: name and aliases %r" % (db["name"], e["name"], row["codes"]))
            want_sel = -1 if e["number"] is None else e["number"] * 256 + (e["umask"] or 0)
            c.expect(row["selector"] == str(want_sel), "%s %s: selector key %s, want %d"
                     % (db["name"], e["name"], row["selector"], want_sel))
            if e["counters_mask"] is not None:
                mask = e["counters_mask"]
            elif e["fixed_counter"] is not None:
                mask = 1 << e["fixed_counter"]
            else:
                mask = db["config_counters"]
            want_on = [str(i) for i in range(32) if mask >> i & 1]
            c.expect(row["on"] == want_on, "%s %s: counters %r, want %r" % (db["name"], e["name"], row["on"], want_on))
            c.expect(e["name"] in compare_names, "compare.html has no row for %s" % e["name"])
    if "a14.html" in pages:
        a14 = {r["id"]: r for r in pages["a14.html"].rows}
        c.expect(a14["ev-INST_ALL"]["on"] == ["7"], "a14 INST_ALL should fit counter 7 only")
    c.expect(compare is not None, "compare.html parsed")

    # generic.html: a section per generic event naming every database, and
    # a link to the row of each event that counts it, in either mode.
    with open(os.path.join(site, "generic.html"), encoding="utf-8") as f:
        sections = re.split(r'<h2 id="g-\d+">', f.read())[1:]
    c.expect(len(sections) == len(generic), "generic.html: %d sections for %d generic events"
             % (len(sections), len(generic)))
    for g, text in zip(generic, sections):
        c.expect(text.startswith("<code>%s</code>" % g["name"]), "generic.html: section for %s" % g["name"])
        for db, m in g["databases"].items():
            c.expect('href="%s.html"' % db in text, "generic.html %s: no link to %s" % (g["name"], db))
            for mode in ("all", "user"):
                if m[mode]:
                    c.expect('#ev-%s"' % m[mode] in text, "generic.html %s: %s of %s (%s mode) is not linked"
                             % (g["name"], m[mode], db, mode))

    # Contrast of the palette, light and dark.
    with open(os.path.join(site, "kpmc.css"), encoding="utf-8") as f:
        schemes = css_schemes(f.read())
    c.expect(len(schemes) == 2, "kpmc.css should define a light and a dark :root palette")
    for k, values in enumerate(schemes):
        for fg, bg in TEXT_PAIRS:
            a, b = values.get(fg, fg), values.get(bg, bg)
            ratio = contrast(a, b)
            c.expect(ratio >= 4.5, "%s scheme: %s (%s) on %s (%s): contrast %.2f < 4.5"
                     % (("light", "dark")[k], fg, a, bg, b, ratio))

    return c.finish("%d pages" % len(pages))


if __name__ == "__main__":
    sys.exit(main())
