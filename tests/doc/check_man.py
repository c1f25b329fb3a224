#!/usr/bin/env python3
"""Checks that the manual page docs/kpmc.1 matches the program.

  * one section `.SS "kpmc CMD"` per command of `kpmc --help`, and no other;
  * each section's synopsis equals the usage line of `kpmc CMD --help`;
  * the options named in a section and in that command's --help are the same;
  * the exit statuses a section lists are those of the --help;
  * the version in .TH is the one `kpmc --version` prints;
  * groff, when present, formats the page without a warning.

usage: check_man.py KPMC MANPAGE
"""
import os
import re
import shutil
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from kpmctest import Checks  # noqa: E402


def run(*args):
    return subprocess.run(list(args), check=True, stdout=subprocess.PIPE).stdout.decode()


def plain(roff):
    """roff source to plain text: font escapes dropped, \\- to -."""
    text = re.sub(r"\\f[BIRP]", "", roff)
    text = text.replace("\\-", "-").replace("\\(em", "--").replace("\\&", "")
    out = []
    for line in text.splitlines():
        if line.startswith('.\\"'):
            continue
        m = re.match(r"^\.(B|I|BI|IB|RB|BR|IR|RI)\s+(.*)$", line)
        if m:
            line = re.sub(r'"([^"]*)"', r"\1", m.group(2))
        elif line.startswith("."):
            continue
        out.append(line)
    return "\n".join(out)


def exit_codes(text):
    m = re.search(r"Exit status(.*)", text, re.S)
    return set(re.findall(r"(?<![\w.-])([0-9])(?![\w.-])", m.group(1))) if m else set()


def options(text):
    return set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", text))


def main():
    kpmc, manpage = sys.argv[1:3]
    with open(manpage, encoding="utf-8") as f:
        roff = f.read()
    c = Checks()
    expect = c.expect

    version = run(kpmc, "--version").split()[1]
    th = re.search(r'^\.TH KPMC 1 "[^"]*" "kpmc ([^"]+)"', roff, re.M)
    expect(th and th.group(1) == version, ".TH names kpmc %s, the program is %s" % (th and th.group(1), version))

    commands = re.findall(r"^  (\w+)\s{2,}", run(kpmc, "--help").split("commands:")[1], re.M)
    parts = re.split(r'^\.SS "kpmc (\w+)"\n', roff, flags=re.M)
    sections = {}
    for name, body in zip(parts[1::2], parts[2::2]):
        sections[name] = body.split("\n.SH ")[0]
    expect(sorted(sections) == sorted(commands),
           "man sections %s, commands %s" % (sorted(sections), sorted(commands)))

    for cmd in commands:
        if cmd not in sections:
            continue
        helptext = run(kpmc, cmd, "--help")
        usage = helptext.splitlines()[0]
        section = plain(sections[cmd])
        synopsis = re.search(r"^\.nf\n(.*?)\n\.fi", sections[cmd], re.S | re.M)
        synopsis = plain(synopsis.group(1)).strip() if synopsis else None
        expect(usage == "usage: " + (synopsis or ""), "%s: synopsis %r, --help says %r" % (cmd, synopsis, usage))
        expect(options(section) == options(helptext), "%s: options in man %s, in --help %s"
               % (cmd, sorted(options(section)), sorted(options(helptext))))
        expect(exit_codes(section) == exit_codes(helptext), "%s: exit statuses in man %s, in --help %s"
               % (cmd, sorted(exit_codes(section)), sorted(exit_codes(helptext))))

    if shutil.which("groff"):
        g = subprocess.run(["groff", "-man", "-ww", "-z", manpage], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        expect(g.returncode == 0 and not g.stderr, "groff warns: %s" % g.stderr.decode()[:400])

    return c.finish("%d commands" % len(commands))


if __name__ == "__main__":
    sys.exit(main())
