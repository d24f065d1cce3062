#!/usr/bin/env bash
# kill_test.sh RIDGEPOINT CASE [SEED]: runs that survive kills and each other, and give the same output however they
# were split or interrupted (issue 16, parts 4 and 5). One CASE per CTest; every variant of an experiment runs in a
# directory of its own with the same file names, so whole outputs can be compared (h5_content.py: every dataset
# and attribute, byte for byte, and the YAMLs written beside the output).
#   sweep-kill, lacs-kill, nas-kill: an uninterrupted `run --jobs 2` is timed (T, start-up S until its first worker
#     exists); then a copy is started with --jobs 2 and killed with SIGKILL at 10 random moments, 2 in [S/2, S] and 8
#     in [0, F (T - S)] after its workers exist, F below (bash's RANDOM seeded with SEED, printed:
#     pass it again to reproduce a failure), resumed each time. After each kill no process of the run may be left (its --jobs
#     workers die with it) and the journal may hold no unit twice; the last run must compute only
#     what the journal lacks, the finished copy must equal the uninterrupted output, and at least 3 of the 10 kills
#     must have found workers running. A copy that finishes before 3 kills found its workers (it ran faster than the
#     reference run) starts over, fresh, with every moment halved (at most 3 attempts).
#   sweep-identical, nas-identical, lacs-identical, codesign-identical: serial, --jobs 2 and `mpirun -np 2` write
#     identical outputs.
#   codesign-resume: an evolution stopped by --max-points again and again finishes with the uninterrupted output.
#   lock: a second run on an output being written fails at once, with one line naming the holder (exit 2), and
#     touches nothing; the lock file is gone when the first run ends.
#   sweep-interrupt, lacs-interrupt, nas-interrupt, nas-serial-interrupt (issue 21; HURRICANE's, at a chosen moment
#     of each stage, is tests/hurricane/hurricane_test.sh `interrupt`): a run (with
#     --jobs 2, or serial; each time with --fresh, so it has all its work ahead) gets SIGTERM (to its pid) or Ctrl-C
#     (SIGINT to its process group) at 6 (NAS: 4) random moments after it started working (holds its lock, journal
#     open); each time it must exit within a second of the signal with 143 or 130, print one line saying so, and
#     leave no process behind; then a resume finishes the last one and the output equals an uninterrupted run's.
set -euo pipefail
R=$1 CASE=$2 SEED=${3:-16}
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3   # Debian's interpreter, which has h5py
MPIRUN=(mpirun --allow-run-as-root --oversubscribe -np 2)
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W"
source "$HERE/tiny_nas.sh"

# experiment KIND DIR: DIR/x.yaml (output DIR/x.h5), sized so an uninterrupted --jobs 2 run takes a few seconds.
experiment() {
  mkdir -p "$2"
  case $1 in
    sweep) cat >"$2/x.yaml" <<YAML
kind: sweep
models: [efficientnet-b7, efficientnet-b6, efficientnet-b5, efficientnet-b4]
accelerators: [tpuv3, tpuv2]
output: x.h5
grid:
  hbm.bandwidth_gbps: [300, 400, 500, 600, 700, 800, 900, 1000]
  matrix_unit.rows: [32, 64, 128, 256]
YAML
      ;;
    lacs) cat >"$2/x.yaml" <<YAML
kind: lacs
base: efficientnet-b0
accelerator: tpuv3
batch: 8
objective: latency-aware
grid: $LACS_GRID
refine: {top: 1, divisions: 2}
phi: 2
accuracy: {method: surrogate}
output: x.h5
YAML
      ;;
    nas) tiny_nas_yaml "$2/x.yaml" "$NAS_SAMPLES" \
           "{method: proxy, train_images: 64, epochs: 1, seed: 1, test_images: 100}"
      ;;
    codesign) cat >"$2/x.yaml" <<YAML
kind: codesign
accelerator: tpuv3
batch: 8
hardware:
  matrix_unit.rows: {min: 32, max: 512, steps: 5, scale: log}
  vector_unit.lanes: [64, 128, 256]
  hbm.bandwidth_gbps: {min: 300, max: 2400, steps: 4, scale: log}
budgets: {area_mm2: 200}
networks: [efficientnet-x-b0, mnasnet-a1]
search: {method: evolution, population: 6, generations: 3, seed: 2}
output: x.h5
YAML
      ;;
  esac
}
NAS_SAMPLES=6  # two rounds of the controller (4 + 2): the second depends on the first's journaled rewards
# 4,158 points + refinement: the grid is memoized (a point costs about 0.1 ms), so it must be this large for the
# run to still be working when a signal or a kill lands (1,683 points finished before most signals of lacs-interrupt)
LACS_GRID="{alpha: [1.0, 1.5, 0.004], beta: [1.0, 1.2, 0.02], gamma: [1.0, 1.2, 0.1]}"

# The journal's key per kind (traces::LineJournal records): sweep points, LACS grid indices, NAS steps.
key_of() { case $1 in sweep) echo point ;; lacs) echo i ;; nas) echo step ;; esac; }

# check_journal FILE KEY [final]: no unit twice; only the last line may be torn (and none when final).
# Prints the number of units.
check_journal() {
  $PY - "$@" <<'PY'
import collections, json, sys
path, key, final = sys.argv[1], sys.argv[2], len(sys.argv) > 3
text = open(path).read()
lines = text.split("\n")
body = lines[1:-1] if text.endswith("\n") else lines[1:]
keys = []
for n, line in enumerate(body):
    try:
        keys.append(json.loads(line)[key])
    except ValueError:
        if final or n != len(body) - 1:
            sys.exit(f"{path}: line {n + 2} is not a whole record: {line[:60]!r}")
dups = [k for k, c in collections.Counter(keys).items() if c > 1]
if dups:
    sys.exit(f"{path}: {len(keys)} records but units {dups[:10]} appear more than once")
print(len(keys))
PY
}

# units_done LOG KIND: the units of work a finished run's closing line counts, computed now plus resumed (the
# journal held one record per unit: sweep points, LACS grid points, NAS steps).
units_done() {
  $PY - "$@" <<'PY'
import re, sys
text, kind = open(sys.argv[1]).read(), sys.argv[2]
pattern = {"sweep": r"\((\d+) computed now, (\d+) resumed\)", "lacs": r"\((\d+) evaluated now, (\d+) from the journal\)",
           "nas": r"nas: done: (\d+) samples \((\d+) trained now"}[kind]
m = re.search(pattern, text)
if not m:
    sys.exit(f"{sys.argv[1]}: no closing line with the units done")
print(int(m.group(1)) + (int(m.group(2)) if kind != "nas" else 0))
PY
}

# live_in DIR: pids of processes (zombies aside) working in DIR: a run started there and its forked workers.
# One find over /proc and bash builtins: fast enough (tens of ms) to run between a random moment and the kill.
live_in() {
  local c line st
  for c in $(find /proc/[0-9]*/cwd -maxdepth 0 -lname "$1" 2>/dev/null); do
    line=$(<"${c%/cwd}/stat") 2>/dev/null || continue
    st=${line##*) }
    [ "${st%% *}" = Z ] || { c=${c#/proc/}; echo "${c%/cwd}"; }
  done
}

# same_outputs DIR...: x.h5 and every YAML written beside it are identical in all DIRs.
same_outputs() {
  $PY "$HERE/h5_content.py" "${@/%//x.h5}"
  local f d
  for f in "$1"/x.files/*.yaml; do
    [ -e "$f" ] || continue
    for d in "${@:2}"; do cmp "$f" "$d/x.files/${f##*/}" || { echo "${f##*/} differs in $d"; exit 1; }; done
  done
}

ms_now() { date +%s%3N; }
sleep_ms() { sleep "$(printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)))"; }

# kill_cycles KIND: see the header.
kill_cycles() {
  local kind=$1 key t0 t total
  key=$(key_of "$kind")
  experiment "$kind" ref
  local t0 s= pid
  t0=$(ms_now)
  (cd ref && exec "$R" run x.yaml --jobs 2 >log 2>&1) & pid=$!
  while kill -0 $pid 2>/dev/null; do
    [ -n "$s" ] || [ "$(live_in "$W/ref" | wc -l)" -lt 2 ] || s=$(( $(ms_now) - t0 ))
    sleep 0.02
  done
  wait $pid || { cat ref/log; exit 1; }
  t=$(( $(ms_now) - t0 ))
  [ -n "$s" ] || { echo "the uninterrupted run --jobs 2 never had a worker process running"; exit 1; }
  # A complete run leaves no journal: the units it journaled are what its closing line counts (all computed now).
  [ ! -e ref/x.h5.progress.jsonl ] || { echo "a complete run left its journal"; exit 1; }
  total=$(units_done ref/log "$kind")
  # Kill moments: S is the start-up, until the run's first worker process exists (LibTorch and data loaded, lock
  # taken, journal open, work split). Kills 1-2 land uniformly in [S/2, S] after the start (a kill during start-up);
  # kills 3-10 uniformly in [0, F (T - S)] after that run's own first worker exists, so that a start-up slower or
  # faster than the reference run's does not move them out of the compute phase. F is chosen so that most kills
  # find the run unfinished yet some journal work: 8% for the sweep (its points take milliseconds), 15% for LACS,
  # 50% for NAS (each kill loses the trainings in flight, about a second each; later kills may find it finished).
  local f=15
  case $kind in sweep) f=8 ;; nas) f=50 ;; esac
  local early=$(( s / 2 )) span=$(( (t - s) * f / 100 ))
  echo "uninterrupted run: $total units in $t ms (start-up $s ms); kill seed $SEED, moments: [$early, $s] ms," \
       "then [0, $span] ms after the workers start"
  RANDOM=$SEED
  local k at when t1 before left waited hit=0 attempt finished
  # A copy may run much faster than the reference run (that one paid for cold caches, or shared the CPUs with
  # another test): it can then finish before enough kills have found its workers. Such an attempt tested too
  # little, not something wrong: start over on a fresh copy with every moment halved, at most 3 attempts.
  for attempt in 1 2 3; do
    rm -rf killed
    experiment "$kind" killed
    hit=0 finished=
    for k in $(seq 10); do
      (cd killed && exec "$R" run x.yaml --jobs 2 >/dev/null 2>&1) & pid=$!
      if [ "$k" -le 2 ]; then
        at=$(( early + RANDOM % (s - early + 1) ))
        when="at $at ms"
      else
        at=$(( RANDOM % (span + 1) ))
        t1=$(ms_now)
        while [ "$(live_in "$W/killed" | wc -l)" -lt 2 ] && [ $(( $(ms_now) - t1 )) -lt "$t" ]; do sleep 0.01; done
        when="$at ms after its workers started (at $(( $(ms_now) - t1 )) ms)"
      fi
      sleep_ms "$at"
      before=$(live_in "$W/killed" | wc -l)
      kill -9 "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
      waited=0
      while left=$(live_in "$W/killed") && [ -n "$left" ] && [ $waited -lt 3000 ]; do sleep 0.05; waited=$((waited + 50)); done
      if [ -n "$left" ]; then
        echo "kill $k $when: processes outlived their parent (pid $pid):"; ps -o pid,ppid,stat,args -p "${left//$'\n'/,}"
        exit 1
      fi
      [ "$before" -ge 2 ] && hit=$((hit + 1))
      echo "kill $k $when: $before processes running, none left after ${waited} ms;" \
           "$( [ -f killed/x.h5.progress.jsonl ] && check_journal killed/x.h5.progress.jsonl "$key" || echo 0) units journaled"
      # A run that resumed with few units left may finish before its kill (faster start-up made this possible): its
      # output is complete and its journal gone; nothing is left to kill, and the output is compared below.
      if [ -e killed/x.h5 ] && [ ! -e killed/x.h5.progress.jsonl ]; then
        echo "kill $k: the run had finished before it"
        if [ -e killed/x.h5.lock ]; then
          # Killed in its last moments, after the output was written and the journal removed: only the lock file
          # is left (nothing cleans up after SIGKILL). A rerun takes the stale lock, finds the output complete and
          # removes the lock file with its lock.
          echo "kill $k: landed after the output was written; its lock file is left: rerun"
          (cd killed && "$R" run x.yaml --jobs 2 >log 2>&1) || { cat killed/log; exit 1; }
          grep -q "nothing to do" killed/log || { echo "the rerun did not find the output complete"; cat killed/log; exit 1; }
        fi
        finished=1
        break
      fi
  done
  [ -n "$finished" ] && [ $hit -lt 3 ] && [ $attempt -lt 3 ] || break
  s=$(( s / 2 )) early=$(( early / 2 )) span=$(( span / 2 ))
  echo "attempt $attempt: the copy finished after $hit worker kills, faster than the reference run;" \
       "again with moments [$early, $s] ms, then [0, $span] ms"
  done
  if [ -e killed/x.h5.progress.jsonl ]; then
    before=$(check_journal killed/x.h5.progress.jsonl "$key")
    (cd killed && "$R" run x.yaml --jobs 2 >log 2>&1) || { cat killed/log; exit 1; }
    # The last run computed only what the journal lacked (a torn last line counts as lacking).
    local summary
    case $kind in
      sweep) summary="($((total - before)) computed now, $before resumed)" ;;
      lacs) summary="($((total - before)) evaluated now, $before from the journal)" ;;
      nas) summary=" trained now, $before resumed, " ;;
    esac
    grep -qF "$summary" killed/log || { echo "expected '$summary' in the last run's log:"; cat killed/log; exit 1; }
  fi
  [ ! -e killed/x.h5.lock ] && [ ! -e killed/x.h5.tmp ] && [ ! -e killed/x.h5.progress.jsonl ] \
    || { echo "lock, temporary or journal left behind by the complete run"; ls killed; exit 1; }
  [ $hit -ge 3 ] || { echo "only $hit of 10 kills found workers running: nothing was tested"; exit 1; }
  echo "$hit of 10 kills found workers running"
  same_outputs ref killed
}

# interrupt_cycles KIND JOBS [CYCLES]: see the header.
interrupt_cycles() {
  local kind=$1 jobs=$2 cycles=${3:-6} t0 t pid
  experiment "$kind" ref
  t0=$(ms_now)
  (cd ref && "$R" run x.yaml --jobs "$jobs" >log 2>&1) || { cat ref/log; exit 1; }
  t=$(( $(ms_now) - t0 ))
  experiment "$kind" sig
  RANDOM=$SEED
  local k at signal expect t1 rc took hit=0 worst=0
  for k in $(seq "$cycles"); do
    # Its own process group (setsid), as a shell gives a job: Ctrl-C is SIGINT to the whole group.
    # --fresh: every cycle starts with the whole work to do, so the signal finds it working; the last cycle's
    # journal is what the resume below finishes.
    (cd sig && exec setsid "$R" run x.yaml --jobs "$jobs" --fresh >out 2>err) & pid=$!
    # Working: it holds the output's lock (its pid in the lock file) and the journal is open. Before that, in the
    # first milliseconds of a process's start-up, a signal ends it by its default action, with nothing written.
    t1=$(ms_now)
    until grep -qs "^pid $pid " sig/x.h5.lock && [ -s sig/x.h5.progress.jsonl ]; do
      kill -0 "$pid" 2>/dev/null && [ $(( $(ms_now) - t1 )) -lt 60000 ] || break
      sleep 0.01
    done
    # Within the first quarter of the reference run: identical runs here vary up to 3x in time, and a signal later
    # than the run found it finished ("only 2 of 6 signals found the run working").
    at=$(( RANDOM % (t / 4 + 1) ))
    sleep_ms "$at"
    if [ $((k % 2)) = 1 ]; then signal=TERM expect=143; kill -TERM "$pid" 2>/dev/null || true
    else signal=INT expect=130; kill -INT -- "-$pid" 2>/dev/null || true; fi
    t1=$(ms_now)
    rc=0; wait "$pid" || rc=$?
    took=$(( $(ms_now) - t1 ))
    if [ $rc = 0 ]; then echo "signal $k ($signal, $at ms in): the run had finished"; continue; fi
    [ $rc = $expect ] || { echo "signal $k ($signal): exit $rc, expected $expect"; cat sig/err; exit 1; }
    [ "$(grep -c '^ridgepoint: ' sig/err)" = 1 ] && grep -q "^ridgepoint: stopped by signal" sig/err \
      || { echo "signal $k ($signal): expected one line saying the run stopped"; cat sig/err; exit 1; }
    [ -z "$(live_in "$W/sig")" ] || { echo "signal $k ($signal): processes left"; live_in "$W/sig"; exit 1; }
    [ $took -le 1000 ] || { echo "signal $k ($signal): exited $took ms after the signal (more than 1 s)"; exit 1; }
    [ $took -gt $worst ] && worst=$took
    hit=$((hit + 1))
    echo "signal $k ($signal, $at ms after the run took its lock): exit $rc in $took ms"
  done
  [ $hit -ge 3 ] || { echo "only $hit of $cycles signals found the run working: nothing was tested"; exit 1; }
  (cd sig && "$R" run x.yaml --jobs "$jobs" >log 2>&1) || { cat sig/log; exit 1; }
  echo "$hit of $cycles signals stopped the run, the slowest exit $worst ms after its signal; resumed output identical:"
  same_outputs ref sig
}

case $CASE in
  sweep-interrupt) interrupt_cycles sweep 2 ;;
  lacs-interrupt) interrupt_cycles lacs 2 ;;
  nas-interrupt) NAS_SAMPLES=4 interrupt_cycles nas 2 4 ;;
  nas-serial-interrupt) NAS_SAMPLES=4 interrupt_cycles nas 1 4 ;;
  sweep-kill) kill_cycles sweep ;;
  lacs-kill) kill_cycles lacs ;;
  nas-kill) kill_cycles nas ;;
  codesign-resume)
    # An evolution stopped by --max-points 5 again and again, each run retracing the search through the journal,
    # ends with the output of an uninterrupted run; the last run resumed what the others computed.
    experiment codesign ref; experiment codesign cut
    (cd ref && "$R" run x.yaml >log 2>&1) || { cat ref/log; exit 1; }
    for k in $(seq 100); do
      (cd cut && "$R" run x.yaml --max-points 5 >log 2>&1) || { cat cut/log; exit 1; }
      grep -q "^wrote x.h5" cut/log && break
      grep -q "^stopped with" cut/log || { echo "run $k neither stopped nor finished"; cat cut/log; exit 1; }
    done
    grep -q "^wrote x.h5" cut/log || { echo "not finished after 100 runs of 5 points"; exit 1; }
    [ "$k" -ge 3 ] || { echo "finished after $k runs: nothing was resumed"; exit 1; }
    echo "finished after $k runs of at most 5 points: $(grep '^wrote' cut/log)"
    same_outputs ref cut
    ;;
  fresh-stopped)
    # A --fresh run over a complete output clears the output's side files at once; stopped before it journals
    # anything (--max-points 0 here; an early signal does the same), it must not leave the old output looking
    # complete without them: the next run redoes the work and writes the side files again (it used to say
    # "nothing to do" and the family YAMLs stayed gone).
    experiment lacs ref
    (cd ref && "$R" run x.yaml --jobs 2 >log 2>&1) || { cat ref/log; exit 1; }
    n=$(ls ref/x.files/*.yaml | wc -l); [ "$n" -ge 2 ] || { echo "the run wrote $n family YAMLs"; exit 1; }
    cp -r ref cut
    (cd cut && "$R" run x.yaml --fresh --max-points 0 >log 2>&1) || { cat cut/log; exit 1; }
    grep -q "stopped with 0 points done" cut/log || { echo "expected a stop with 0 points"; cat cut/log; exit 1; }
    [ -e cut/x.h5.progress.jsonl ] || { echo "the stopped --fresh run left no journal beside the old output"; exit 1; }
    (cd cut && "$R" run x.yaml --jobs 2 >log 2>&1) || { cat cut/log; exit 1; }
    grep -q "nothing to do" cut/log && { echo "the old output was taken as complete"; cat cut/log; exit 1; }
    echo "after a stopped --fresh run the next run redid the work: $(grep '^lacs: wrote' cut/log)"
    same_outputs ref cut
    ;;
  sweep-identical | nas-identical | lacs-identical | codesign-identical)
    kind=${CASE%-identical}
    NAS_SAMPLES=4
    LACS_GRID="{alpha: [1.0, 1.3, 0.05], beta: [1.0, 1.2, 0.1], gamma: [1.0, 1.2, 0.1]}"  # 63 points + refinement
    for d in serial jobs mpi; do experiment "$kind" $d; done
    if [ "$kind" = nas ]; then
      # On the generated IDX set of tests/experiments/idx_set.py (20 validation images; with Fashion-MNIST each of
      # the 3 x 5 trainings scored 10,000): how the work is split must not change a byte whatever the data.
      $PY "$HERE/idx_set.py" make
      for d in serial jobs mpi; do
        sed -i -e 's/train_images: 64/train_images: 40/' -e 's/test_images: 100/test_images: 20/' $d/x.yaml
        cat >>$d/x.yaml <<YAML
dataset: {format: idx, train: ../train-images.idx, train_labels: ../train-labels.idx, test: ../test-images.idx,
          test_labels: ../test-labels.idx, validation: 20}
YAML
      done
    fi
    (cd serial && "$R" run x.yaml >log 2>&1) || { cat serial/log; exit 1; }
    (cd jobs && "$R" run x.yaml --jobs 2 >log 2>&1) || { cat jobs/log; exit 1; }
    (cd mpi && "${MPIRUN[@]}" "$R" run x.yaml >log 2>&1) || { cat mpi/log; exit 1; }
    same_outputs serial jobs mpi
    ;;
  lock)
    for kind in sweep lacs; do
      experiment $kind a
      (cd a && exec "$R" run x.yaml --jobs 2 >/dev/null 2>&1) & pid=$!
      # The lock is taken first, then the journal created: wait for both (30 s at most: LibTorch loads slowly here).
      for _ in $(seq 600); do [ -s a/x.h5.lock ] && [ -s a/x.h5.progress.jsonl ] && break; sleep 0.05; done
      [ -s a/x.h5.lock ] && [ -s a/x.h5.progress.jsonl ] || { echo "$kind: no lock file or journal"; exit 1; }
      header=$(head -1 a/x.h5.progress.jsonl)
      # The holder is stopped while the second runs try (a short LACS run could otherwise finish between the two
      # tries and free the lock: seen under the UBSan build), and continued afterwards, also when a try fails.
      kill -STOP $pid
      trap 'kill -CONT '$pid' 2>/dev/null; rm -rf "$W"' EXIT
      for extra in "" --fresh; do
        t0=$(ms_now)
        rc=0; (cd a && "$R" run x.yaml $extra >out 2>err) || rc=$?
        [ $rc = 2 ] || { echo "$kind $extra: exit $rc, expected 2"; cat a/err; exit 1; }
        [ "$(wc -l <a/err)" = 1 ] && [ ! -s a/out ] || { echo "$kind $extra: expected one stderr line"; cat a/err a/out; exit 1; }
        grep -Eq "^ridgepoint: error: x.h5 is being written by ridgepoint pid $pid on .*, started .*; wait for it to finish" a/err \
          || { echo "$kind $extra: message"; cat a/err; exit 1; }
        echo "$kind $extra: refused in $(( $(ms_now) - t0 )) ms: $(cat a/err)"
        [ "$(head -1 a/x.h5.progress.jsonl)" = "$header" ] || { echo "--fresh touched the journal"; exit 1; }
      done
      kill -CONT $pid
      trap 'rm -rf "$W"' EXIT
      wait $pid || { echo "$kind: the first run failed"; exit 1; }
      [ ! -e a/x.h5.lock ] || { echo "$kind: lock file left after the run"; exit 1; }
      (cd a && "$R" run x.yaml >log 2>&1) || { cat a/log; exit 1; }  # free again
      rm -rf a
    done
    ;;
  *) echo "unknown case $CASE"; exit 2 ;;
esac
