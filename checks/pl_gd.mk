# pl-gd: gradient descent under the PL condition (lecture 002, Theorem 2).
libthmcheck_la_SOURCES += checks/pl_gd.c
noinst_HEADERS += checks/pl_gd_source.h checks/quadratic_source.h
check_PROGRAMS += tests/tpl_gd
tests_tpl_gd_SOURCES = tests/tpl_gd.c
tests_tpl_gd_CPPFLAGS = $(TEST_CPPFLAGS) -I$(top_srcdir)/checks
tests_tpl_gd_LDADD = $(TEST_LDADD)
