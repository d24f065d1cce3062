#!/usr/bin/env bash
# light_binary.sh RIDGEPOINT EXPECT_SH: the light executable (issue 15) loads no LibTorch, hands what needs it to
# ridgepoint-torch beside it, and says so in one line when that sibling is missing.
set -euo pipefail
R=$1 EXPECT=$2
fail() { echo "light_binary: $*"; exit 1; }
# ldd's output is read whole before grep: `ldd | grep -q` under pipefail fails at random when grep exits at its
# first match and ldd is still writing (SIGPIPE).
light=$(ldd "$R") torch=$(ldd "$(dirname "$R")/ridgepoint-torch")
if grep -Eq "libtorch|libc10" <<<"$light"; then fail "ridgepoint links LibTorch: $(grep -E 'libtorch|libc10' <<<"$light" | head -2)"; fi
grep -q libtorch <<<"$torch" || fail "ridgepoint-torch does not link LibTorch (test is stale?)"
# Through the hand-over: a LibTorch command and a --torchscript error give the torch binary's answers.
bash "$EXPECT" "$R" 0 "decisions: 50" nas space efficientnet-x
bash "$EXPECT" "$R" 2 "give either a MODEL or --torchscript FILE, not both" simulate efficientnet-b0 --torchscript x.pt
# A copy without its sibling: one error line naming what needed LibTorch and the missing path, exit 1.
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cp "$R" "$W/ridgepoint"
bash "$EXPECT" "$W/ridgepoint" 1 "the command 'nas' needs LibTorch, which this build runs in $W/ridgepoint-torch, and that cannot be started: No such file or directory" nas space efficientnet-x
bash "$EXPECT" "$W/ridgepoint" 0 "latency" simulate efficientnet-b0 --batch 8 --no-layers
echo "light_binary: ok"
