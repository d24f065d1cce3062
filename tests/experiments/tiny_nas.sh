# Sourced by tests/nas/nas_test.sh, tests/experiments/kill_test.sh and scripts/bench_allocator.sh: the one tiny NAS
# experiment they all run, differing only in samples and proxy training.
# tiny_nas_yaml FILE SAMPLES ACCURACY: writes FILE, an RL search of the EfficientNet-X space on TPUv3 at batch 128
# (target 9 ms, w = -0.07, seed 1) with SAMPLES samples and ACCURACY as its `accuracy:` value; its output is FILE's
# name with .h5 for .yaml, beside it.
tiny_nas_yaml() {
  local stem
  stem=$(basename "$1" .yaml)
  cat >"$1" <<YAML
kind: nas
space: efficientnet-x
accelerator: tpuv3
set: {}
batch: 128
target_latency_ms: 9.0
reward: {w: -0.07}
search: {method: rl, samples: $2, seed: 1}
accuracy: $3
output: $stem.h5
YAML
}
