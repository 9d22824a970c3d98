# Tests of the engine, catalog, reports and CLI (the numeric and check
# tests are listed in their areas' fragments).
check_PROGRAMS += tests/tengine tests/tcatalog tests/tcli tests/treport
tests_tengine_SOURCES = tests/tengine.c
tests_tengine_CPPFLAGS = $(TEST_CPPFLAGS)
tests_tengine_LDADD = $(TEST_LDADD)
tests_tcatalog_SOURCES = tests/tcatalog.c
tests_tcatalog_CPPFLAGS = $(TEST_CPPFLAGS)
tests_tcatalog_LDADD = $(TEST_LDADD)
tests_tcli_SOURCES = tests/tcli.c
tests_tcli_CPPFLAGS = $(TEST_CPPFLAGS)
tests_tcli_LDADD = $(TEST_LDADD)
tests_treport_SOURCES = tests/treport.c
tests_treport_CPPFLAGS = $(TEST_CPPFLAGS) $(PDFLATEX_CPPFLAGS)
tests_treport_LDADD = $(TEST_LDADD)
# tcli runs the built binary.
tests_tcli_DEPENDENCIES = libthmcheck.la thmcheck$(EXEEXT)
check_PROGRAMS += tests/tclaims
tests_tclaims_SOURCES = tests/tclaims.c
tests_tclaims_CPPFLAGS = $(TEST_CPPFLAGS)
tests_tclaims_LDADD = $(TEST_LDADD)
check_PROGRAMS += tests/taudit
tests_taudit_SOURCES = tests/taudit.c
tests_taudit_CPPFLAGS = $(TEST_CPPFLAGS) $(PDFLATEX_CPPFLAGS)
tests_taudit_LDADD = $(TEST_LDADD)
tests_taudit_DEPENDENCIES = libthmcheck.la thmcheck$(EXEEXT)
check_PROGRAMS += tests/tseed
tests_tseed_SOURCES = tests/tseed.c
tests_tseed_CPPFLAGS = $(TEST_CPPFLAGS)
tests_tseed_LDADD = $(TEST_LDADD)
check_PROGRAMS += tests/trng
tests_trng_SOURCES = tests/trng.c
tests_trng_CPPFLAGS = $(TEST_CPPFLAGS)
tests_trng_LDADD = $(TEST_LDADD)
check_PROGRAMS += tests/taggregate
tests_taggregate_SOURCES = tests/taggregate.c
tests_taggregate_CPPFLAGS = $(TEST_CPPFLAGS)
tests_taggregate_LDADD = $(TEST_PUBLIC_LDADD)
# tlatex includes src/catalog/catalog_latex.c to read its whitelist.
check_PROGRAMS += tests/tlatex
tests_tlatex_SOURCES = tests/tlatex.c
tests_tlatex_CPPFLAGS = $(TEST_CPPFLAGS) $(PDFLATEX_CPPFLAGS)
tests_tlatex_LDADD = $(TEST_LDADD)
EXTRA_tests_tlatex_DEPENDENCIES = src/catalog/catalog_latex.c
check_PROGRAMS += tests/ttape
tests_ttape_SOURCES = tests/ttape.c
tests_ttape_CPPFLAGS = $(TEST_CPPFLAGS)
tests_ttape_LDADD = $(TEST_LDADD)
# The backend table, and a third backend compiled in under a test-only
# macro: the engine and reporters (TC_ENGINE_SOURCES) built again with it.
check_PROGRAMS += tests/tbackends tests/tbackend3 tests/tclassify
tests_tclassify_SOURCES = tests/tclassify.c
tests_tclassify_CPPFLAGS = $(TEST_CPPFLAGS)
tests_tclassify_LDADD = $(TEST_LDADD)
tests_tbackends_SOURCES = tests/tbackends.c
tests_tbackends_CPPFLAGS = $(TEST_CPPFLAGS)
tests_tbackends_LDADD = $(TEST_LDADD)
tests_tbackend3_SOURCES = tests/tbackend3.c $(TC_ENGINE_SOURCES)
tests_tbackend3_CPPFLAGS = $(TEST_CPPFLAGS) -DTC_TEST_THIRD_BACKEND
tests_tbackend3_LDADD = $(TEST_LDADD)
# Sharded audits: audit --shard K/N and merge (docs/SHARDS.md).
dist_check_SCRIPTS += tests/tshards.sh tests/tshard_scripts.sh
check_PROGRAMS += tests/tpartial
tests_tpartial_SOURCES = tests/tpartial.c
tests_tpartial_CPPFLAGS = $(TEST_CPPFLAGS)
tests_tpartial_LDADD = $(TEST_LDADD)
# tad includes checks/objective.c to reach its automatic differentiation.
check_PROGRAMS += tests/tad
tests_tad_SOURCES = tests/tad.c
tests_tad_CPPFLAGS = $(TEST_CPPFLAGS) -I$(top_srcdir)/checks
tests_tad_LDADD = $(TEST_LDADD)
EXTRA_tests_tad_DEPENDENCIES = checks/objective.c checks/objective_source.h
# saddle family (tests/tsaddle*.c): the shared helpers header.
noinst_HEADERS += tests/tsaddle_util.h tests/tcheck_util.h
dist_check_SCRIPTS += tests/tcatalog_dist.sh
check_PROGRAMS += tests/tlazy_grad
tests_tlazy_grad_SOURCES = tests/tlazy_grad.c
tests_tlazy_grad_CPPFLAGS = $(TEST_CPPFLAGS) -I$(top_srcdir)/checks
tests_tlazy_grad_LDADD = $(TEST_LDADD)

# lazy-gf additions of issue 11 (tangent kernel, widths, kres_int, new entries)
check_PROGRAMS += tests/tlazy_more
tests_tlazy_more_SOURCES = tests/tlazy_more.c
tests_tlazy_more_CPPFLAGS = $(TEST_CPPFLAGS) -I$(top_srcdir)/checks
tests_tlazy_more_LDADD = $(TEST_LDADD)
# adversarial probe: soundness regressions (tests/data/adversarial.thm).
check_PROGRAMS += tests/tadversarial
tests_tadversarial_SOURCES = tests/tadversarial.c
tests_tadversarial_CPPFLAGS = $(TEST_CPPFLAGS)
tests_tadversarial_LDADD = $(TEST_LDADD)
