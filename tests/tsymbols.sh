#!/bin/sh
# tsymbols.sh — libthmcheck exports exactly the symbols listed in
# src/libthmcheck.sym: a new export (or a lost one) is a conscious change
# to that list.  Regenerate it after an intended change with
#   nm -D --defined-only .libs/libthmcheck.so | awk '{print $3}' | LC_ALL=C sort > src/libthmcheck.sym
set -u
lib=.libs/libthmcheck.so
list=${srcdir:-.}/src/libthmcheck.sym
if [ ! -f "$lib" ] || ! command -v nm > /dev/null 2>&1; then
  echo "no shared library or no nm: skipped"
  exit 77
fi
tmp=${TMPDIR:-/tmp}/tsymbols.$$
trap 'rm -f "$tmp"' EXIT
nm -D --defined-only "$lib" | awk 'NF >= 3 {print $3}' | LC_ALL=C sort > "$tmp"
if ! LC_ALL=C sort "$list" | cmp -s - "$tmp"; then
  echo "exports of $lib differ from $list (< listed only, > exported only):"
  LC_ALL=C sort "$list" | diff - "$tmp" | grep '^[<>]'
  exit 1
fi
echo "$(wc -l < "$tmp") exported symbols, as listed"
