#!/bin/sh
# tcatalog_dist.sh — every catalog file under theorems/ is listed in
# Makefile.am (dist_catalog_DATA or EXTRA_DIST).  A file missing there is
# absent from `make dist`, so from the sanitizer build, distcheck and the
# installed catalog, while the source-tree audit still loads it.
set -eu
top=${srcdir:-.}
cd "$top"
missing=0
for f in theorems/*.thm theorems/extended/*.thm; do
  [ -f "$f" ] || continue
  if ! grep -q "[[:space:]=]$f\\( \\|\$\\)" Makefile.am; then
    echo "tcatalog_dist: $f is not listed in Makefile.am" >&2
    missing=1
  fi
done
exit $missing
