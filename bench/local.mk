# Benchmarks: built and run by `make bench`, never by `make check`.
EXTRA_PROGRAMS = bench/bench_backends
bench_bench_backends_SOURCES = bench/bench_backends.c
bench_bench_backends_LDADD = libthmcheck.la $(GSL_LIBS)
CLEANFILES = $(EXTRA_PROGRAMS)

EXTRA_DIST += bench/bench_jobs.sh

# bench-jobs: the default audit at --jobs 1 and --jobs $(BENCH_JOBS) (2),
# a few minutes; `make bench` runs both benchmarks.
.PHONY: bench bench-jobs
bench: bench-table bench/bench_backends$(EXEEXT) bench-jobs
	./bench/bench_backends$(EXEEXT)
bench-jobs: thmcheck$(EXEEXT)
	$(SHELL) $(srcdir)/bench/bench_jobs.sh $(abs_top_builddir) $(abs_top_srcdir)

# The side-by-side table (issue 13): bench_kernels times thmcheck's side of
# each row, bench/peers.py the numpy/scipy/mpmath peer, interleaved by
# bench/bench_table.sh.  `make bench-table` runs it alone.
EXTRA_PROGRAMS += bench/bench_kernels
bench_bench_kernels_SOURCES = bench/bench_kernels.c
# libthmcheck_core.la: the h0-1000 row calls the private num_relu_h0_d.
bench_bench_kernels_LDADD = libthmcheck_core.la $(GSL_LIBS) $(JANSSON_LIBS) $(NETTLE_LIBS) $(LIBS)
EXTRA_DIST += bench/bench_table.sh bench/peers.py
.PHONY: bench-table
bench-table: bench/bench_kernels$(EXEEXT)
	$(SHELL) $(srcdir)/bench/bench_table.sh $(abs_top_builddir) $(abs_top_srcdir)
