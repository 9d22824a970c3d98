#!/bin/sh
# tshard_scripts.sh — scripts/audit-shards (GNU parallel, or xargs -P) and
# scripts/audit-slurm.sh (against a stand-in sbatch that runs the array's
# tasks and the dependent merge job in turn) give the one-process audit's
# report set byte for byte.  docs/SHARDS.md.
set -u
top=${srcdir:-.}
bin=$PWD/thmcheck
cat=$top/theorems/ntk-init.thm
if [ ! -x "$bin" ] || [ ! -f "$cat" ]; then
  echo "no ./thmcheck or no catalog: skipped"
  exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tshard_scripts.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
same() {
  for f in audit.md audit.tex audit.json audit.manifest; do
    cmp -s "$tmp/one/$f" "$1/$f" || bad "$2: $f differs from the one-process audit's"
  done
}
"$bin" audit --catalog "$cat" --instances 2 --quiet -o "$tmp/one" 2> /dev/null
one=$?

THMCHECK=$bin "$top/scripts/audit-shards" -n 2 -o "$tmp/local" -- --catalog "$cat" --instances 2 2> /dev/null
rc=$?
[ $rc -eq $one ] || bad "audit-shards exits $rc, the audit $one"
same "$tmp/local" audit-shards

# A stand-in sbatch: an --array job runs each task now (SLURM_ARRAY_TASK_ID
# set, output to its --output with %a replaced); a job with
# --dependency=afterok:ID runs when every task of ID succeeded.
mkdir "$tmp/bin"
cat > "$tmp/bin/sbatch" << 'SBATCH'
#!/bin/sh
state=${FAKE_SLURM_STATE:?}
array='' dep='' output=/dev/null
while [ $# -gt 0 ]; do
  case $1 in
    --array=*) array=${1#--array=} ;;
    --dependency=afterok:*) dep=${1#--dependency=afterok:} ;;
    --output=*) output=${1#--output=} ;;
    --*) ;;
    *) break ;;
  esac
  shift
done
id=$(( $(cat "$state/next" 2> /dev/null || echo 100) + 1 ))
echo "$id" > "$state/next"
if [ -n "$dep" ] && [ -s "$state/failed-$dep" ]; then
  echo "$id"; exit 0 # never runs (--kill-on-invalid-dep)
fi
if [ -n "$array" ]; then
  k=${array%-*}
  while [ "$k" -le "${array#*-}" ]; do
    SLURM_ARRAY_TASK_ID=$k sh "$@" > "$(echo "$output" | sed "s/%a/$k/")" 2>&1 || echo "$k" >> "$state/failed-$id"
    k=$((k + 1))
  done
else
  sh "$@" > "$output" 2>&1; echo $? > "$state/exit-$id"
fi
echo "$id"
SBATCH
chmod +x "$tmp/bin/sbatch"
mkdir "$tmp/state"
if ! PATH=$tmp/bin:$PATH FAKE_SLURM_STATE=$tmp/state THMCHECK=$bin "$top/scripts/audit-slurm.sh" \
    -n 3 -c 1 -o "$tmp/slurm" -w "$tmp/work" -- --catalog "$cat" --instances 2 > "$tmp/slurm.out"; then
  bad "audit-slurm.sh did not submit: $(cat "$tmp/slurm.out")"
fi
[ "$(cat "$tmp/state/exit-102" 2> /dev/null)" = "$one" ] || bad "merge job exit $(cat "$tmp/state/exit-102" 2> /dev/null), the audit $one; $(cat "$tmp/work/merge.log")"
same "$tmp/slurm" audit-slurm.sh
[ $fail -eq 0 ] && echo "audit-shards and audit-slurm.sh: byte-identical to the one-process audit"
exit $fail
