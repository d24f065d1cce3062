#!/usr/bin/python3
"""check_layers.py [ROOT]: each room of Ridgepoint includes only the rooms below it (docs/architecture.md), and
each experiment kind's run function (int run_KIND(run::RunContext& ctx) in experiments/kinds/) fits on a screen
(at most 80 lines: the plumbing is the RunContext's, the method is in nas/ or lacs/). Prints every include that
breaks the rule (file:line: room A includes room B) and every run function that is too long, and exits 1 if any."""
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


RUN_FUNCTION = re.compile(r"^int run_\w+\(run::RunContext& ctx\) \{")
MAX_RUN_LINES = 80


def run_functions(root):
    """(file, name, lines) of every kind's run function: from its signature to the closing brace in column 0."""
    out = []
    for d, _, files in os.walk(os.path.join(root, "experiments/kinds")):
        for name in sorted(files):
            if not name.endswith(".cpp"):
                continue
            lines = open(os.path.join(d, name), encoding="utf-8").read().split("\n")
            for i, line in enumerate(lines):
                if RUN_FUNCTION.match(line):
                    end = next(j for j in range(i + 1, len(lines)) if lines[j] == "}")
                    out.append((os.path.relpath(os.path.join(d, name), root), line.split("(")[0][4:], end - i + 1))
    return out


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
    long = 0
    for path, name, n in run_functions(root):
        print(f"{path}: {name}: {n} lines{'' if n <= MAX_RUN_LINES else f' (more than {MAX_RUN_LINES})'}")
        long += n > MAX_RUN_LINES
    sys.exit(1 if bad or long else 0)


main()
