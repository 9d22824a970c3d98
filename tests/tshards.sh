#!/bin/sh
# tshards.sh — a sharded audit (audit --shard K/N, then merge) gives the
# one-process audit's report set byte for byte; a missing or repeated
# shard, a shard of another run (seed, options, catalog) or a file that is
# not a partial result is an error naming it (exit 2, nothing written);
# bad --shard values are usage errors naming the flag.  docs/SHARDS.md.
set -u
bin=./thmcheck
cat=${srcdir:-.}/theorems
if [ ! -x "$bin" ] || [ ! -d "$cat" ]; then
  echo "no ./thmcheck or no catalog: skipped"
  exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tshards.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
# Fewer instances than the catalog's, to keep `make check` short: the
# claims still exercise every kind (search, sequential sampling, shrinking).
a() { "$bin" audit --catalog "$cat" --instances 3 --quiet "$@"; }

a --jobs 2 -o "$tmp/one" 2> /dev/null
one=$?
for k in 1 2 3; do
  a --jobs 1 --shard $k/3 -o "$tmp/s$k.json" 2> /dev/null
  rc=$?
  [ $rc -eq 2 ] && bad "shard $k/3 exits 2"
done
# Any order of the partials.
"$bin" merge --catalog "$cat" "$tmp/s3.json" "$tmp/s1.json" "$tmp/s2.json" -o "$tmp/merged" 2> /dev/null
merged=$?
[ $merged -eq $one ] || bad "merge exits $merged, the one-process audit $one"
for f in audit.md audit.tex audit.json audit.manifest; do
  cmp -s "$tmp/one/$f" "$tmp/merged/$f" || bad "merged $f differs from the one-process audit's"
done

# expect_error NAME MESSAGE-PART COMMAND...: exit 2, MESSAGE-PART on stderr, no output dir.
expect_error() {
  name=$1 part=$2
  shift 2
  rm -rf "$tmp/out"
  "$@" 2> "$tmp/err" > /dev/null
  rc=$?
  [ $rc -eq 2 ] || bad "$name: exit $rc, not 2"
  grep -qF -- "$part" "$tmp/err" || bad "$name: stderr lacks '$part': $(cat "$tmp/err")"
  [ ! -e "$tmp/out" ] || bad "$name: wrote $tmp/out"
}
# shellcheck disable=SC2317
m() { "$bin" merge --catalog "$cat" -o "$tmp/out" "$@"; }
expect_error missing "shard 2/3 is missing" m "$tmp/s1.json" "$tmp/s3.json"
cp "$tmp/s1.json" "$tmp/copy.json"
expect_error duplicated "copy.json: shard 1/3 again (also in $tmp/s1.json)" \
  m "$tmp/s1.json" "$tmp/s2.json" "$tmp/copy.json" "$tmp/s3.json"
a --seed 7 --shard 2/3 -o "$tmp/seed7.json" 2> /dev/null
expect_error seed "seed7.json: a shard of another audit than $tmp/s1.json (seed differs)" \
  m "$tmp/s1.json" "$tmp/seed7.json" "$tmp/s3.json"
a --precision mpfr:96 --shard 2/3 -o "$tmp/p96.json" 2> /dev/null
expect_error options "p96.json: a shard of another audit than $tmp/s1.json (precision differs)" \
  m "$tmp/s1.json" "$tmp/p96.json" "$tmp/s3.json"
a --shard 2/4 -o "$tmp/of4.json" 2> /dev/null
expect_error count "of4.json: a shard of another audit than $tmp/s1.json (shards differs)" \
  m "$tmp/s1.json" "$tmp/of4.json" "$tmp/s3.json"
expect_error catalog "written from another catalog than the one loaded" \
  "$bin" merge --catalog "$cat/ball.thm" -o "$tmp/out" "$tmp/s1.json" "$tmp/s2.json" "$tmp/s3.json"
printf '{"thmcheck_partial": 1,' > "$tmp/broken.json"
expect_error broken "broken.json: not a thmcheck partial result" m "$tmp/s1.json" "$tmp/broken.json"
printf '[]\n' > "$tmp/array.json"
expect_error not-partial "array.json: not a thmcheck partial result" m "$tmp/array.json"
expect_error absent "absent.json: cannot read the partial result: No such file or directory" m "$tmp/absent.json"
expect_error none "merge needs the partial results" m

# --shard values (exit 2, the flag named, nothing run).
for v in 0/3 4/3 1/0 garbage 3 /3 1/ 1/3/5 -1/3 " 1/3" 1/100001; do
  expect_error "--shard '$v'" "--shard needs K/N" "$bin" audit --catalog "$cat" --shard "$v" -o "$tmp/out"
done
# An input error in any claim stops every shard, as it stops the audit
# (ball-anticoncentration, the one claim with delta, is in shard 1/3).
expect_error "shard of valid claims" "delta (the failure probability) must be a number in (0, 1)" \
  a --param delta=1.5 --shard 2/3 -o "$tmp/out"
expect_error "run --shard" "--shard is not an option of 'run'" "$bin" run pl-gd-rate --shard 1/2
expect_error "merge --seed" "--seed is not an option of 'merge'" m --seed 3 "$tmp/s1.json"
[ $fail -eq 0 ] && echo "3 shards merged byte-identical to the one-process audit; bad input refused"
exit $fail
