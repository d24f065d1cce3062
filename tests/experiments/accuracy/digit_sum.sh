#!/bin/sh
# A `command` accuracy trial for tests (HURRICANE): accuracy = (sum of the digits of the candidate's arch, e.g.
# MB_3_6,SEP_5 -> 3 + 6 + 5 = 14) / 100, read from the proxy.json Ridgepoint writes into the trial directory (the
# working directory). Exits 1 on a proxy.json without an arch.
arch=$(sed -n 's/.*"arch":"\([^"]*\)".*/\1/p' proxy.json)
[ -n "$arch" ] || { echo "no arch in proxy.json" >&2; exit 1; }
sum=0
for d in $(printf '%s' "$arch" | tr -cd '0-9' | sed 's/./& /g'); do sum=$((sum + d)); done
echo "{\"accuracy\": $(printf '0.%02d' "$sum")}"
