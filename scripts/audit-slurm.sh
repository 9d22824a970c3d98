#!/bin/sh
# audit-slurm.sh — a sharded audit across machines: a Slurm job array runs
# the N shards of `thmcheck audit --shard K/N` (task K on whatever node
# Slurm picks), and a merge job, started when every task succeeded, writes
# the audit set: the same bytes as one `thmcheck audit` with the same
# options.  WORKDIR, the catalog, DIR and the thmcheck binary must be on a
# file system every node sees.
#
# Usage: scripts/audit-slurm.sh [-n N] [-c CPUS] [-o DIR] [-w WORKDIR] [-t TIME] [-p PARTITION]
#                               [-- AUDIT-OPTIONS...]
#   -n N          shards, the array's size (default 8)
#   -c CPUS       cores per shard; the shard runs --jobs CPUS (default 2)
#   -o DIR        the audit directory (default reports)
#   -w WORKDIR    shared directory for partial results and logs (default
#                 ./audit-shards.JOBID... : shards-<time>)
#   -t TIME       time limit per shard (sbatch --time, default 01:00:00)
#   -p PARTITION  sbatch --partition (default: the cluster's)
#   AUDIT-OPTIONS go to every shard (--seed, --catalog, --instances,
#   --precision, --confidence, --param); --catalog goes to merge as well.
# THMCHECK names the binary (default: thmcheck on PATH, else ./thmcheck,
# made absolute).  Prints the two job ids; the merge job's log is
# WORKDIR/merge.log, its exit status merge's.  docs/SHARDS.md.
set -u

if [ -z "${THMCHECK:-}" ]; then
  if command -v thmcheck > /dev/null 2>&1; then THMCHECK=$(command -v thmcheck); else THMCHECK=$PWD/thmcheck; fi
fi
export THMCHECK

# Inside the array: task K of N.  A verdict (0, 1, 3, 4) is success, so
# the merge (afterok) waits only for shards that produced their partial.
if [ "${1:-}" = "--task" ]; then
  shift
  n=$1 work=$2
  shift 2
  k=${SLURM_ARRAY_TASK_ID:?"--task runs inside a Slurm job array"}
  "$THMCHECK" audit --shard "$k/$n" -o "$work/shard-$k-of-$n.json" --quiet "$@"
  rc=$?
  case $rc in 0|1|3|4) exit 0 ;; *) exit 2 ;; esac
fi

# The merge job: every partial, in shard order.
if [ "${1:-}" = "--merge" ]; then
  shift
  n=$1 work=$2 out=$3 catalog=$4
  shift 4
  set --
  k=1
  while [ "$k" -le "$n" ]; do
    set -- "$@" "$work/shard-$k-of-$n.json"
    k=$((k + 1))
  done
  if [ -n "$catalog" ]; then
    exec "$THMCHECK" merge --catalog "$catalog" -o "$out" "$@"
  fi
  exec "$THMCHECK" merge -o "$out" "$@"
fi

usage() { sed -n '9,20p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
n=8 cpus=2 out=reports work='' time=01:00:00 partition=''
while getopts n:c:o:w:t:p:h opt; do
  case $opt in
    n) n=$OPTARG ;;
    c) cpus=$OPTARG ;;
    o) out=$OPTARG ;;
    w) work=$OPTARG ;;
    t) time=$OPTARG ;;
    p) partition=$OPTARG ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift
for v in "$n" "$cpus"; do
  case $v in ''|*[!0-9]*|0) echo "audit-slurm.sh: -n and -c need whole numbers >= 1" >&2; exit 2 ;; esac
done
command -v sbatch > /dev/null 2>&1 || { echo "audit-slurm.sh: sbatch not found (is this a Slurm login node?)" >&2; exit 2; }

catalog='' prev=''
for a in "$@"; do
  case $a in --catalog=*) catalog=${a#--catalog=} ;; esac
  [ "$prev" = "--catalog" ] && catalog=$a
  prev=$a
done
work=${work:-$PWD/shards-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$work" || exit 2
case $work in /*) ;; *) work=$PWD/$work ;; esac
case $out in /*) ;; *) out=$PWD/$out ;; esac
# Slurm runs a copy of this script: hand it its own path, absolute.
self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")

array=$(sbatch --parsable --job-name=thmcheck-shard --array="1-$n" --cpus-per-task="$cpus" \
  --time="$time" ${partition:+"--partition=$partition"} --output="$work/shard-%a.log" \
  "$self" --task "$n" "$work" --jobs "$cpus" "$@") || exit 2
array=${array%%;*}
merge=$(sbatch --parsable --job-name=thmcheck-merge --dependency="afterok:$array" \
  --kill-on-invalid-dep=yes --cpus-per-task=1 --time=00:30:00 ${partition:+"--partition=$partition"} --output="$work/merge.log" \
  "$self" --merge "$n" "$work" "$out" "$catalog") || exit 2
echo "shards: job array $array (1-$n), merge: job ${merge%%;*}; partials and logs in $work"
