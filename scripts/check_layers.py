#!/usr/bin/python3
"""check_layers.py [ROOT]: each room of Ridgepoint includes only the rooms below it (docs/architecture.md).
Prints every include that breaks the rule (file:line: room A includes room B) and exits 1 if there is one."""
import os
import re
import sys

# Room -> the rooms its sources may include (itself included). Lowest first; the longest matching prefix wins.
ALLOWED = {
    "simulator": ["simulator"],
    "traces": ["simulator", "traces"],
    "accel_models": ["simulator", "traces", "accel_models"],
    "nas": ["simulator", "traces", "accel_models", "nas"],
    "lacs": ["simulator", "traces", "accel_models", "nas", "lacs"],
    "experiments/run": ["simulator", "traces", "experiments/run"],
    "experiments/settings": ["simulator", "traces", "accel_models", "experiments/settings"],
    "experiments/validation": ["simulator", "traces", "accel_models", "experiments/validation"],
    "experiments/kinds": ["simulator", "traces", "accel_models", "nas", "lacs", "experiments/run",
                          "experiments/settings", "experiments/kinds"],
    "experiments/cli": ["simulator", "traces", "accel_models", "nas", "lacs", "experiments/run",
                        "experiments/settings", "experiments/kinds", "experiments/validation", "experiments/cli"],
}
ROOMS = sorted(ALLOWED, key=len, reverse=True)
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def room_of(path):
    for r in ROOMS:
        if path == r or path.startswith(r + "/"):
            return r
    return None


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    bad = checked = 0
    for room in ROOMS:
        for d, _, files in os.walk(os.path.join(root, room)):
            for name in sorted(files):
                if not name.endswith((".h", ".cpp", ".in")):
                    continue
                rel = os.path.relpath(os.path.join(d, name), root)
                if room_of(rel) != room:
                    continue  # a deeper room's file: checked as that room's
                checked += 1
                for n, line in enumerate(open(os.path.join(d, name), encoding="utf-8"), 1):
                    m = INCLUDE.match(line)
                    if not m:
                        continue
                    target = room_of(m.group(1))
                    if target and target not in ALLOWED[room]:
                        print(f"{rel}:{n}: {room} includes {m.group(1)} ({target} is not below {room})")
                        bad += 1
    print(f"{checked} files of {len(ROOMS)} rooms checked: {bad} includes break the layering")
    sys.exit(1 if bad else 0)


main()
