#!/bin/sh
# bench_jobs.sh — wall time of the default audit at --jobs 1 and --jobs N
# (N = $BENCH_JOBS, default 2), measured in the same invocation, and their
# ratio (the speed-up; the target on 2 cores is >= 1.8).  The two runs
# alternate over $BENCH_REPEAT rounds (default 1) so that a change of
# machine load hits both; the ratio is of the summed times.  Also checks
# that both runs wrote the same audit.json, and prints the load average
# (a busy machine lowers the speed-up: context for the numbers).
#   make bench-jobs        or   sh bench/bench_jobs.sh [BUILDDIR [SRCDIR]]
set -eu
builddir=${1:-.}
srcdir=${2:-$builddir}
jobs=${BENCH_JOBS:-2}
rounds=${BENCH_REPEAT:-1}
bin=$builddir/thmcheck
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench_jobs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export OPENBLAS_NUM_THREADS=1

# "WALL CPU" seconds of one audit (CPU: user + system of the process).
audit() {
  set +e
  /usr/bin/time -f '%e %U %S' -o "$tmp/time" \
    "$bin" --catalog "$srcdir/theorems" audit -o "$tmp/j$1" --quiet --jobs "$1" > /dev/null 2>&1
  rc=$?
  set -e
  # exit 1: some lecture claim FAILs as written, which the audit expects
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
    echo "bench_jobs: audit --jobs $1 exited with $rc" >&2
    exit 1
  fi
  # the last line: GNU time writes "Command exited with non-zero status 1" first
  tail -n 1 "$tmp/time" | awk '{print $1, $2 + $3}'
}

if [ ! -x /usr/bin/time ]; then
  echo "bench_jobs: needs /usr/bin/time (Debian package time)" >&2
  exit 77
fi

echo "default audit, --jobs 1 against --jobs $jobs ($(nproc) cores online; load average at start: $(cut -d' ' -f1-3 /proc/loadavg))"
sum1=0
sumn=0
cpu1=0
cpun=0
r=1
while [ "$r" -le "$rounds" ]; do
  if [ $((r % 2)) -eq 1 ]; then
    t1=$(audit 1)
    tn=$(audit "$jobs")
  else
    tn=$(audit "$jobs")
    t1=$(audit 1)
  fi
  if ! cmp -s "$tmp/j1/audit.json" "$tmp/j$jobs/audit.json"; then
    echo "bench_jobs: audit.json differs between --jobs 1 and --jobs $jobs" >&2
    exit 1
  fi
  set -- $t1 $tn
  printf 'round %d: --jobs 1 %7.2f s wall %7.2f s CPU   --jobs %d %7.2f s wall %7.2f s CPU   speed-up %5.3f\n' \
    "$r" "$1" "$2" "$jobs" "$3" "$4" "$(echo "$1 $3" | awk '{print $1 / $2}')"
  sum1=$(echo "$sum1 $1" | awk '{print $1 + $2}')
  cpu1=$(echo "$cpu1 $2" | awk '{print $1 + $2}')
  sumn=$(echo "$sumn $3" | awk '{print $1 + $2}')
  cpun=$(echo "$cpun $4" | awk '{print $1 + $2}')
  r=$((r + 1))
done
printf 'total: --jobs 1 %.2f s, --jobs %d %.2f s: speed-up %.3f (wall), CPU ratio %.3f; same audit.json\n' \
  "$sum1" "$jobs" "$sumn" "$(echo "$sum1 $sumn" | awk '{print $1 / $2}')" \
  "$(echo "$cpun $cpu1" | awk '{print $1 / $2}')"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "(the kernel shares CPU fairly between sessions (autogroups): while other sessions keep a core"
echo " busy, a second thread gets no extra CPU and the speed-up tends to 1; compare on an idle machine)"
