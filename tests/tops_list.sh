#!/bin/sh
# tops_list.sh — the private operation list is one consistent list:
#  1. every name tc_templates_on.h defines is undone by tc_templates_off.h
#     (and nothing else is), so two backends can share a translation unit;
#  2. every TC_OP(stem) has an implementation stem_<suffix> declared (or
#     defined inline) in the headers, for every backend of tc_backends.h;
#  3. no installed header defines the template names (the public API is
#     tc_-prefixed).
set -u
src=${srcdir:-.}/src
num=$src/num
fail=0
tmp=${TMPDIR:-/tmp}/tops_list.$$
trap 'rm -f "$tmp".*' EXIT

sed -n 's/^#define \([A-Za-z_][A-Za-z0-9_]*\).*/\1/p' "$num/tc_templates_on.h" "$num/tc_backends.h" \
  | grep -v '^TC_BACKENDS_H$\|^TC_NBACKENDS$' | sort -u > "$tmp.def"
echo TC_BASE_DOUBLE >> "$tmp.def"
echo TC_BASE_MPFR >> "$tmp.def"
sort -u -o "$tmp.def" "$tmp.def"
sed -n 's/^#undef \([A-Za-z_][A-Za-z0-9_]*\).*/\1/p' "$num/tc_templates_off.h" | sort -u > "$tmp.undef"
if ! cmp -s "$tmp.def" "$tmp.undef"; then
  echo "tc_templates_on.h/tc_backends.h and tc_templates_off.h disagree (< defined only, > undone only):"
  diff "$tmp.def" "$tmp.undef" | grep '^[<>]'
  fail=1
fi

suffixes=$(sed -n 's/^#define TC_SUFFIX \([a-z0-9_]*\)$/\1/p' "$num/tc_backends.h")
[ -n "$suffixes" ] || { echo "no backend suffix found in tc_backends.h"; exit 1; }
sed -n 's/^#define [a-z_0-9A-Z]* TC_OP(\([a-z_0-9]*\))$/\1/p' "$num/tc_templates_on.h" > "$tmp.stems"
cat "$src"/tc_*.h "$num"/num_impl.h > "$tmp.headers"
for suf in $suffixes; do
  while read -r stem; do
    grep -q "\\b${stem}_${suf}\\b" "$tmp.headers" || {
      echo "backend '$suf' lacks ${stem}_${suf} (operation TC_OP($stem))"
      fail=1
    }
  done < "$tmp.stems"
done

for h in "$src"/thmcheck.h "$src"/tc_*.h; do
  bad=$(sed -n 's/^#[ ]*define \([A-Za-z_][A-Za-z0-9_]*\).*/\1/p' "$h" | grep -v '^tc_\|^TC_\|^THMCHECK_H$')
  if [ -n "$bad" ]; then
    echo "$h defines unprefixed macros: $bad"
    fail=1
  fi
done
exit $fail
