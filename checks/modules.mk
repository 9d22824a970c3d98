# checks/modules.mk — GENERATED from checks/modules.def by scripts/gen-modules-mk.
# Do not edit: add a line to checks/modules.def (make regenerates this file).
libthmcheck_la_SOURCES += checks/pl_gd.c
noinst_HEADERS += checks/pl_gd_source.h
check_PROGRAMS += tests/tpl_gd
tests_tpl_gd_SOURCES = tests/tpl_gd.c
tests_tpl_gd_CPPFLAGS = $(TEST_CPPFLAGS) -I$(top_srcdir)/checks
tests_tpl_gd_LDADD = $(TEST_LDADD)
libthmcheck_la_SOURCES += checks/sgd_pl.c
noinst_HEADERS += checks/sgd_pl_source.h
check_PROGRAMS += tests/tsgd_pl
tests_tsgd_pl_SOURCES = tests/tsgd_pl.c
tests_tsgd_pl_CPPFLAGS = $(TEST_CPPFLAGS) -I$(top_srcdir)/checks
tests_tsgd_pl_LDADD = $(TEST_LDADD)
libthmcheck_la_SOURCES += checks/ball.c
noinst_HEADERS += checks/ball_source.h
check_PROGRAMS += tests/tball
tests_tball_SOURCES = tests/tball.c
tests_tball_CPPFLAGS = $(TEST_CPPFLAGS) -I$(top_srcdir)/checks
tests_tball_LDADD = $(TEST_LDADD)
libthmcheck_la_SOURCES += checks/ntk_init.c
noinst_HEADERS += checks/ntk_init_source.h
check_PROGRAMS += tests/tntk_init
tests_tntk_init_SOURCES = tests/tntk_init.c
tests_tntk_init_CPPFLAGS = $(TEST_CPPFLAGS) -I$(top_srcdir)/checks
tests_tntk_init_LDADD = $(TEST_LDADD)
libthmcheck_la_SOURCES += checks/calibration.c
noinst_HEADERS += checks/calibration_source.h
