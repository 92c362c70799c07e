#!/usr/bin/env python3
"""Counts individual test cases in meson's testlog JSON files.

A TAP test contributes its "ok" / "not ok" lines ("# SKIP" counts as skipped); a test
that printed no TAP case (crashed before, or is not TAP) counts once by its result.
Prints "N passed, N failed" (", N skipped" when any) as the last line and exits 1
when anything failed.
"""
import json
import re
import sys

CASE = re.compile(r"^(not ok|ok)\b(.*)$")


def count_test(entry):
    passed = failed = skipped = 0
    for line in entry.get("stdout", "").splitlines():
        match = CASE.match(line)
        if not match:
            continue
        if re.search(r"#\s*skip", match.group(2), re.IGNORECASE):
            skipped += 1
        elif match.group(1) == "ok":
            passed += 1
        else:
            failed += 1
    result = entry.get("result", "")
    if passed + failed + skipped == 0:
        if result == "SKIP":
            skipped = 1
        elif result in ("OK", "EXPECTEDFAIL"):
            passed = 1
        else:
            failed = 1
    elif result not in ("OK", "EXPECTEDFAIL", "SKIP") and failed == 0:
        # Every printed case passed but the program failed (crash, valgrind, bad plan).
        failed = 1
    return passed, failed, skipped


def main(paths):
    totals = [0, 0, 0]
    for path in paths:
        try:
            with open(path, encoding="utf-8") as log:
                entries = [json.loads(line) for line in log if line.strip()]
        except FileNotFoundError:
            print(f"{path}: missing (the test run did not start)")
            totals[1] += 1
            continue
        for entry in entries:
            for i, n in enumerate(count_test(entry)):
                totals[i] += n
    passed, failed, skipped = totals
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
