# sgd-pl: SGD with a constant step under the PL condition (lecture 002, Theorem 3).
libthmcheck_la_SOURCES += checks/sgd_pl.c
# checks/quadratic_source.h (shared with pl-gd) is listed in checks/pl_gd.mk.
noinst_HEADERS += checks/sgd_pl_source.h
check_PROGRAMS += tests/tsgd_pl
tests_tsgd_pl_SOURCES = tests/tsgd_pl.c
tests_tsgd_pl_CPPFLAGS = $(TEST_CPPFLAGS) -I$(top_srcdir)/checks
tests_tsgd_pl_LDADD = $(TEST_LDADD)
