#!/usr/bin/env python3
"""Print the loop-dominance figures of the paper's model that docs/loops.md
quotes (tests/check_quoted_numbers.sh keeps them equal).

For each regime scenario it runs `migdev loops configs/<regime>.cfg
--dominance` and prints: the number of elementary loops; the named vicious
circle's length, mean and largest |relative loop score| and its rank by
mean score among all loops; and at how many save times a loop through both
`remittances` and `development_effort` is in the dominant set.

Usage: loop_numbers.py [MIGDEV]   (default ./build/migdev); standard library only.
"""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MIGDEV = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "migdev")
REGIMES = ["remittance_based", "state_led", "compensatory_integration"]


def analyse(regime):
    text = subprocess.run([MIGDEV, "loops", os.path.join(ROOT, "configs", regime + ".cfg"), "--dominance"],
                          check=True, capture_output=True, text=True).stdout
    n_loops = int(re.search(r": (\d+) loops", text).group(1))
    members, names = {}, {}
    for m in re.finditer(r"^([BRZU]\d+)\s+(.*?)\s+[BRZU0]\s+(\d+)\s+(\S.*)$", text, re.M):
        lid, name, loop = m.group(1), m.group(2).strip(), m.group(4)
        members[lid] = set(re.findall(r"([a-z_0-9]+) -\(", loop))
        if name != "-":
            names[name] = lid
    scores = {}
    for m in re.finditer(r"^  ([BRZU]\d+)\s+\S+\s+mean ([0-9.]+)\s+max ([0-9.]+)", text, re.M):
        scores[m.group(1)] = (float(m.group(2)), float(m.group(3)))
    vid = names["vicious circle"]
    length = len(members[vid])
    mean, peak = scores[vid]
    rank = 1 + sum(1 for s in scores.values() if s[0] > mean)
    both = {lid for lid, vs in members.items() if "remittances" in vs and "development_effort" in vs}
    times = 0
    for m in re.finditer(r"^  t = (\d+)\s+\.\. (\d+)\s+co-dominant: (.*?)\s+\[", text, re.M):
        ids = set(re.findall(r"\b([BRZU]\d+)\b", m.group(3)))
        if ids & both:
            times += int(m.group(2)) - int(m.group(1)) + 1
    return n_loops, length, mean, peak, rank, len(scores), times


def main():
    for regime in REGIMES:
        n, length, mean, peak, rank, total, times = analyse(regime)
        print("%s: %d loops; vicious circle %d links, mean |relative score| %.3f, largest %.3f, rank %d of %d; "
              "a loop through remittances and development effort dominant in %d years"
              % (regime, n, length, mean, peak, rank, total, times))


if __name__ == "__main__":
    main()
