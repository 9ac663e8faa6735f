#!/usr/bin/python3
"""Generate src/core/ntlm-unicode-upper.h: the one-to-one upper-case
mapping of UTF-16 code units that NTOWFv2 applies to the user name, as
Windows applies it (RtlUpcaseUnicodeString).

Source: the Unicode Character Database, as Debian's unicode-data package
installs it (/usr/share/unicode): UnicodeData.txt (fields 12 and 13,
Simple_Uppercase_Mapping and Simple_Lowercase_Mapping) and DerivedAge.txt
(the version that assigned each code point).

Rule. A BMP code unit c is mapped to u when
  1. UnicodeData.txt gives u as the simple upper case of c;
  2. the simple lower case of u is c again: Windows keeps only case
     pairs that round-trip. This drops the one-way mappings, whatever the
     version: the titlecase digraphs (U+01C5 Dz -> U+01C4, ...), the micro
     sign, dotless i, long s, final sigma, the Greek symbol variants
     (U+03D0 beta symbol, ...), the iota subscripts U+0345 and U+1FBE,
     U+1E9B; and
  3. both c and u were assigned by Unicode 5.1 (DerivedAge.txt): the
     mappings Unicode added afterwards are not in Windows' table. Among
     them: Georgian Mtavruli (Unicode 11; U+10D0 stays), the Cherokee
     small letters (Unicode 8; U+AB70 and U+13F8 stay), U+0265 -> U+A78D
     and the other Latin pairs of Unicode 6.0 and later.
Every other unit, the surrogates included, maps to itself. Nothing is
ever mapped to more than one unit: the special casings (U+00DF sharp s,
U+0149, ligatures) are not simple mappings and stay unchanged.

How the rule was checked: it reproduces, unit for unit over the whole
BMP, Microsoft's published "Windows 8 Upper Case Mapping Table" ([MS-
UCODEREF] 3.1.5.3, as rendered in the Linux kernel's CIFS client,
fs/smb/client/winucase.c); tests/unit/test-unicode.c holds those facts
as runs and compares the generated table with them. Against Samba's
table (lib/util/charset/codepoints.c upcase_table, made in 2001 by
probing a Windows server with Samba's CASETABLE torture test) it differs
only where Windows itself changed since: Samba's 636 mappings are all
here except U+03C2 final sigma -> U+03A3, which Windows 8 no longer
applies, and this table has the pairs of Unicode 1.1 that Samba's lacks
(U+0280 -> U+01A6 and the iota-subscript letters U+1F80.. -> U+1F88..)
and those of Unicode 2.0 to 5.1. --compare FILE prints such a comparison
for any C file holding a 65536-entry upcase table.

Output: a two-level table. The high 10 bits of a unit pick one of the
blocks of 64 deltas (identical blocks are stored once); the unit's upper
case is the unit plus its delta, modulo 2^16.

Usage: gen-unicode-upper.py [--ucd DIR] [--output FILE]
       gen-unicode-upper.py [--ucd DIR] --compare FILE
"""

import os
import re
import sys

UCD_DIR = "/usr/share/unicode"
MAX_AGE = (5, 1)
BLOCK_BITS = 6
BLOCK = 1 << BLOCK_BITS


def parse_ranges(path):
    """Yield (first, last, fields) for each data line of a UCD file."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            fields = [x.strip() for x in line.split(";")]
            if ".." in fields[0]:
                first, last = (int(x, 16) for x in fields[0].split(".."))
            else:
                first = last = int(fields[0], 16)
            yield first, last, fields


def load_ages(ucd):
    ages = {}
    for first, last, fields in parse_ranges(os.path.join(ucd,
                                                         "DerivedAge.txt")):
        major, minor = (int(x) for x in fields[1].split("."))
        for cp in range(first, min(last, 0xffff) + 1):
            ages[cp] = (major, minor)
    return ages


def load_simple_case(ucd):
    upper, lower = {}, {}
    path = os.path.join(ucd, "UnicodeData.txt")
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split(";")
            cp = int(fields[0], 16)
            if cp > 0xffff:
                continue
            if fields[12]:
                upper[cp] = int(fields[12], 16)
            if fields[13]:
                lower[cp] = int(fields[13], 16)
    return upper, lower


def build_table(ucd):
    """The mapping as a list of 65536 code units."""
    ages = load_ages(ucd)
    upper, lower = load_simple_case(ucd)
    table = list(range(0x10000))
    for cp, up in upper.items():
        if up > 0xffff:
            continue
        if lower.get(up) != cp:
            continue
        if ages.get(cp, (99, 0)) > MAX_AGE or ages.get(up, (99, 0)) > MAX_AGE:
            continue
        table[cp] = up
    return table


def check_table(table):
    """Properties the C code relies on; a violation stops the build."""
    for cp, up in enumerate(table):
        if table[up] != up:
            raise SystemExit("U+%04X: not idempotent" % cp)
        if 0xd800 <= cp <= 0xdfff and up != cp:
            raise SystemExit("U+%04X: a surrogate is mapped" % cp)
        if cp >= 0x80 and up < 0x80:
            raise SystemExit("U+%04X: maps into ASCII" % cp)
    changed = [up for cp, up in enumerate(table) if up != cp]
    if len(changed) != len(set(changed)):
        raise SystemExit("two units map to the same upper case")


def render(table):
    deltas = [(up - cp) & 0xffff for cp, up in enumerate(table)]
    blocks, index = [], []
    for start in range(0, 0x10000, BLOCK):
        block = tuple(deltas[start:start + BLOCK])
        if block not in blocks:
            blocks.append(block)
        index.append(blocks.index(block))
    if len(blocks) > 256:
        raise SystemExit("too many distinct blocks for a uint8_t index")
    mapped = sum(1 for cp, up in enumerate(table) if up != cp)

    out = []
    out.append("/* Generated by src/core/gen-unicode-upper.py from the Unicode")
    out.append("   Character Database (UnicodeData.txt, DerivedAge.txt).")
    out.append("   Do not edit: change the generator and run")
    out.append("   \"make unicode-table\".")
    out.append("")
    out.append("   %d code units change; %d distinct blocks of %d deltas."
               % (mapped, len(blocks), BLOCK))
    out.append("   upper(u) = u + ntlm_upper_deltas[ntlm_upper_index[u >> %d]]"
               % BLOCK_BITS)
    out.append("                                   [u & %d], modulo 2^16. */"
               % (BLOCK - 1))
    out.append("")
    out.append("#define NTLM_UPPER_BLOCK_BITS %d" % BLOCK_BITS)
    out.append("#define NTLM_UPPER_MAPPED %d" % mapped)
    out.append("")
    out.append("static const uint8_t ntlm_upper_index[%d] = {"
               % (0x10000 // BLOCK))
    for i in range(0, len(index), 16):
        out.append("\t" + ", ".join("%d" % x for x in index[i:i + 16]) + ",")
    out.append("};")
    out.append("")
    out.append("static const uint16_t ntlm_upper_deltas[%d][%d] = {"
               % (len(blocks), BLOCK))
    for n, block in enumerate(blocks):
        firsts = [i * BLOCK for i, b in enumerate(index) if b == n]
        out.append("\t/* %d: U+%04X%s */" %
                   (n, firsts[0],
                    "" if len(firsts) == 1 else
                    " and %d more" % (len(firsts) - 1)))
        out.append("\t{")
        for i in range(0, BLOCK, 8):
            out.append("\t\t" + ", ".join("0x%04x" % x
                                          for x in block[i:i + 8]) + ",")
        out.append("\t},")
    out.append("};")
    return "\n".join(out) + "\n"


def load_c_table(path):
    """A 65536-entry table of 0xNNNN values from a C file (the first
    array named upcase_table, or the first array in the file)."""
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    start = text.find("upcase_table[")
    start = text.find("{", start if start >= 0 else 0)
    end = text.find("};", start)
    values = [int(x, 16) for x in re.findall(r"0x([0-9a-fA-F]{4})",
                                               text[start:end])]
    if len(values) != 0x10000:
        raise SystemExit("%s: %d values, not 65536" % (path, len(values)))
    return values


def compare(table, path):
    other = load_c_table(path)
    ages = load_ages(UCD_DIR_USED)
    only_other = [(cp, other[cp]) for cp in range(0x10000)
                  if other[cp] != cp and table[cp] != other[cp]]
    only_here = [(cp, table[cp]) for cp in range(0x10000)
                 if table[cp] != cp and table[cp] != other[cp]]
    print("%s: %d mappings; generated: %d" %
          (path, sum(1 for cp in range(0x10000) if other[cp] != cp),
           sum(1 for cp in range(0x10000) if table[cp] != cp)))
    print("only in %s: %d" % (path, len(only_other)))
    for cp, up in only_other:
        print("  U+%04X -> U+%04X (generated: U+%04X)" % (cp, up, table[cp]))
    print("only generated: %d" % len(only_here))
    for cp, up in only_here:
        print("  U+%04X -> U+%04X (assigned in Unicode %d.%d and %d.%d)" %
              ((cp, up) + ages.get(cp, (0, 0)) + ages.get(up, (0, 0))))


UCD_DIR_USED = UCD_DIR


def main(argv):
    global UCD_DIR_USED
    ucd, output, other = UCD_DIR, None, None
    while argv:
        arg = argv.pop(0)
        if arg == "--ucd" and argv:
            ucd = argv.pop(0)
        elif arg == "--output" and argv:
            output = argv.pop(0)
        elif arg == "--compare" and argv:
            other = argv.pop(0)
        else:
            raise SystemExit(__doc__)
    UCD_DIR_USED = ucd
    table = build_table(ucd)
    check_table(table)
    if other is not None:
        compare(table, other)
        return 0
    text = render(table)
    if output is None:
        sys.stdout.write(text)
    else:
        with open(output + ".tmp", "w", encoding="utf-8") as f:
            f.write(text)
        os.rename(output + ".tmp", output)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
