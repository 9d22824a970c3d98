# Benchmarks: built and run by `make bench`, never by `make check`.
EXTRA_PROGRAMS = bench/bench_backends
bench_bench_backends_SOURCES = bench/bench_backends.c
bench_bench_backends_LDADD = libthmcheck.la $(GSL_LIBS)
CLEANFILES = $(EXTRA_PROGRAMS)

.PHONY: bench
bench: bench/bench_backends$(EXEEXT)
	./bench/bench_backends$(EXEEXT)
