# checks/ball.mk — module "ball-uniform" (lecture 000 §2.4) and its test.
libthmcheck_la_SOURCES += checks/ball.c
noinst_HEADERS += checks/ball_source.h
check_PROGRAMS += tests/tball
tests_tball_SOURCES = tests/tball.c
tests_tball_CPPFLAGS = $(TEST_CPPFLAGS)
tests_tball_LDADD = $(TEST_LDADD)
