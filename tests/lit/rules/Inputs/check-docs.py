#!/usr/bin/env python3
"""Check that docs/rules.md documents every rule `mitigate rules` lists.

usage: check-docs.py RULES.json RULES.md

RULES.json is the output of `mitigate rules --format json`. Each rule ID
in it must head a section of RULES.md ("## MB1001 ..."); the missing
ones are printed and the check fails.
"""
import json
import re
import sys


def main():
    rules = json.load(open(sys.argv[1], encoding="utf-8"))
    text = open(sys.argv[2], encoding="utf-8").read()
    documented = set(re.findall(r"^#{2,3} +([A-Z]{2}[0-9]{4})\b", text,
                                re.MULTILINE))
    missing = [rule["id"] for rule in rules if rule["id"] not in documented]
    if not rules:
        sys.exit("no rules in %s" % sys.argv[1])
    for rule_id in missing:
        print("%s: no section for rule %s" % (sys.argv[2], rule_id))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
