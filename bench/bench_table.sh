#!/bin/sh
# bench_table.sh BUILDDIR SRCDIR — the side-by-side table of `make bench`:
# "work | thmcheck | peer | ratio" for each row of bench_kernels --list,
# the peer (bench/peers.py: numpy, scipy, mpmath) run in the same
# invocation, interleaved with thmcheck run by run (alternating which goes
# first) so that both see the same load; medians over the runs.
#   BENCH_ROUNDS  runs per side and row (default 5; 3 for the rows whose
#                 peer takes seconds, BENCH_ROUNDS_SLOW)
#   BENCH_ROWS    the rows to run (default: all)
#   PYTHON        the interpreter for the peers (default: the first of
#                 python3 and /usr/bin/python3 that has numpy)
# ratio = peer / thmcheck: above 1, thmcheck is faster.
set -eu
build=${1:-.}
src=${2:-.}
kernels="$build/bench/bench_kernels"
peers="$src/bench/peers.py"
rounds=${BENCH_ROUNDS:-5}
rounds_slow=${BENCH_ROUNDS_SLOW:-3}
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1

py=${PYTHON:-}
if [ -z "$py" ]; then
  for cand in python3 /usr/bin/python3; do
    if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import numpy' 2>/dev/null; then
      py=$cand
      break
    fi
  done
fi
[ -n "$py" ] || py=python3
have_py=1
command -v "$py" >/dev/null 2>&1 || have_py=0

describe() {
  case "$1" in
    eig-mpfr-*) echo "symmetric eigenvalues, MPFR 128 bits, n = ${1#eig-mpfr-} | mpmath eigsy" ;;
    chol-mpfr-200) echo "Cholesky, MPFR 128 bits, n = 200 | mpmath cholesky" ;;
    dsyevd-1000) echo "eigenvalues, double, n = 1000 (dsyevd) | numpy eigvalsh" ;;
    ball-100) echo "uniform-in-ball sample, d = 100, double (one instance) | numpy, vectorised, per sample" ;;
    ntk-h0) echo "NTK H(0) instance, n = 6, d = 5, m = 65536 (double) | numpy" ;;
    fwht-65536) echo "fast Walsh-Hadamard transform, 2^16, double | numpy butterfly" ;;
    h0-1000) echo "NTK H(0) alone, n = 1000, d = 50, m = 10^4, double | numpy (X@W.T >= 0, P@P.T)" ;;
    *) echo "$1 | ?" ;;
  esac
}

# Human units for a time in seconds.
fmt() {
  awk -v t="$1" 'BEGIN { if (t == "") { print "-"; exit }
    if (t < 1e-6) printf "%.1f ns", t * 1e9; else if (t < 1e-3) printf "%.2f us", t * 1e6;
    else if (t < 1) printf "%.2f ms", t * 1e3; else printf "%.2f s", t }'
}

median() {
  tr ' ' '\n' | awk 'NF' | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit;
    if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "Machine: $(uname -m), $(getconf _NPROCESSORS_ONLN) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null), load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$have_py" = 1 ]; then
  echo "Peers: $py ($("$py" -c 'import sys; print(sys.version.split()[0])'))$("$py" -c '
mods = []
for m in ("numpy", "scipy", "mpmath"):
    try:
        mods.append(m + " " + __import__(m).__version__)
    except ImportError:
        mods.append(m + " NOT INSTALLED")
print(", " + ", ".join(mods))')"
else
  echo "Peers: no python3: peer columns empty (scripts/install-deps --bench installs them)"
fi
echo "Medians of $rounds runs per side ($rounds_slow for the mpmath n = 200 rows), interleaved; one BLAS thread."
echo
echo "| work | thmcheck | peer | ratio (peer/thmcheck) |"
echo "|---|---:|---:|---:|"
for row in ${BENCH_ROWS:-$("$kernels" --list)}; do
  r=$rounds
  case "$row" in eig-mpfr-200|chol-mpfr-200) r=$rounds_slow ;; esac
  ours="" theirs="" missing=""
  i=0
  while [ "$i" -lt "$r" ]; do
    if [ $((i % 2)) = 0 ]; then
      ours="$ours $("$kernels" "$row" | cut -d' ' -f2)"
    fi
    if [ "$have_py" = 1 ]; then
      out=$("$py" "$peers" "$row")
      case "$out" in
        *missing*) missing=${out#* missing } ;;
        *) theirs="$theirs ${out#* }" ;;
      esac
    fi
    if [ $((i % 2)) = 1 ]; then
      ours="$ours $("$kernels" "$row" | cut -d' ' -f2)"
    fi
    i=$((i + 1))
  done
  mo=$(echo "$ours" | median)
  mt=$(echo "$theirs" | median)
  if [ -n "$mt" ]; then
    ratio=$(awk -v a="$mt" -v b="$mo" 'BEGIN { printf "%.2f", a / b }')
    peer=" $(fmt "$mt")"
  else
    ratio="-"
    peer="not run (${missing:-python3} not installed)"
  fi
  desc=$(describe "$row")
  pname=${desc#* | }
  [ -n "$mt" ] || pname=""
  echo "| ${desc%% | *} | $(fmt "$mo") | $pname$peer | $ratio |"
done
