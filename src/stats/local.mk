# src/stats and src/expr: the statistics behind verdicts and the catalog's
# expression language.  Included from the top-level Makefile.am.

libthmcheck_la_SOURCES += \
	src/stats/clopper_pearson.c \
	src/stats/mean_ci.c \
	src/stats/mean_ci_bernstein.c \
	src/stats/loglog_fit.c \
	src/expr/expr_parse.c \
	src/expr/expr_eval.c \
	src/expr/expr_free.c \
	src/expr/expr_foreach_name.c \
	src/expr/expr_compile.c

noinst_HEADERS += src/expr/expr_impl.h

check_PROGRAMS += tests/tclopper_pearson tests/tmean_ci tests/tmean_ci_bernstein tests/tloglog_fit tests/texpr

tests_tclopper_pearson_SOURCES = tests/tclopper_pearson.c
tests_tclopper_pearson_CPPFLAGS = $(TEST_CPPFLAGS)
tests_tclopper_pearson_LDADD = $(TEST_LDADD)

tests_tmean_ci_SOURCES = tests/tmean_ci.c
tests_tmean_ci_CPPFLAGS = $(TEST_CPPFLAGS)
tests_tmean_ci_LDADD = $(TEST_LDADD)

tests_tmean_ci_bernstein_SOURCES = tests/tmean_ci_bernstein.c
tests_tmean_ci_bernstein_CPPFLAGS = $(TEST_CPPFLAGS)
tests_tmean_ci_bernstein_LDADD = $(TEST_LDADD)

tests_tloglog_fit_SOURCES = tests/tloglog_fit.c
tests_tloglog_fit_CPPFLAGS = $(TEST_CPPFLAGS)
tests_tloglog_fit_LDADD = $(TEST_LDADD)

tests_texpr_SOURCES = tests/texpr.c
tests_texpr_CPPFLAGS = $(TEST_CPPFLAGS)
tests_texpr_LDADD = $(TEST_LDADD)
