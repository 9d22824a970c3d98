# checks/ntk_init.mk — modules "ntk-h0" (lecture 000 §3) and "ntk-gram"
# (lecture 004, Lemma 11) and their test.
libthmcheck_la_SOURCES += checks/ntk_init.c
noinst_HEADERS += checks/ntk_init_source.h
check_PROGRAMS += tests/tntk_init
tests_tntk_init_SOURCES = tests/tntk_init.c
tests_tntk_init_CPPFLAGS = $(TEST_CPPFLAGS)
tests_tntk_init_LDADD = $(TEST_LDADD)
