#!/usr/bin/env python3
"""Check that a `mitigate rules` text table is aligned.

usage: aligned.py TABLE

Every column of the header (ID, LEVEL, SCOPE, NAME, DESCRIPTION) must
start at the same offset in every row, after at least two spaces, and
no line may end in a space.
"""
import sys


def main():
    lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
    header = lines[0]
    starts = [header.index(word)
              for word in ("LEVEL", "SCOPE", "NAME", "DESCRIPTION")]
    for number, line in enumerate(lines, 1):
        if line != line.rstrip():
            sys.exit("line %d ends in a space" % number)
        for start in starts:
            if line[start - 2:start] != "  " or line[start] == " ":
                sys.exit("line %d: no column starts at offset %d: %r" %
                         (number, start, line))
    return 0


if __name__ == "__main__":
    sys.exit(main())
