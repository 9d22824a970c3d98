# src/num — numeric backends: vectors, matrices, symmetric eigenvalues,
# Cholesky (tc_linalg.h), incomplete beta (tc_special.h), tc_strerror.
# jacobi_source.h and cholesky_source.h are written once and included
# twice (double, MPFR) by jacobi.c and cholesky.c.
libthmcheck_la_SOURCES += \
	src/num/num_impl.h \
	src/num/strerror.c \
	src/num/vec_alloc.c src/num/vec_set_zero.c src/num/vec_copy.c \
	src/num/vec_dot.c src/num/vec_norm2.c src/num/vec_axpy.c src/num/vec_scale.c \
	src/num/dot_strided_mpfr.c \
	src/num/mat_alloc.c src/num/mat_set_zero.c src/num/mat_copy.c \
	src/num/mat_gemv.c src/num/mat_gemv_trans.c src/num/mat_gemm.c src/num/mat_gram.c \
	src/num/lower_finite.c \
	src/num/eigen_ws.c src/num/eigen_symm_d.c src/num/eigen_symm_mpfr.c \
	src/num/jacobi.c src/num/jacobi_source.h \
	src/num/cholesky.c src/num/cholesky_source.h \
	src/num/beta_inc_d.c src/num/beta_inc_mpfr.c

check_PROGRAMS += tests/tvec tests/tmat tests/teigen tests/tcholesky tests/tbeta_inc
noinst_HEADERS += tests/test_seed.h
tests_tvec_SOURCES = tests/tvec.c
tests_tvec_CPPFLAGS = $(TEST_CPPFLAGS)
tests_tvec_LDADD = $(TEST_LDADD)
tests_tmat_SOURCES = tests/tmat.c
tests_tmat_CPPFLAGS = $(TEST_CPPFLAGS)
tests_tmat_LDADD = $(TEST_LDADD)
tests_teigen_SOURCES = tests/teigen.c
tests_teigen_CPPFLAGS = $(TEST_CPPFLAGS)
tests_teigen_LDADD = $(TEST_LDADD)
tests_tcholesky_SOURCES = tests/tcholesky.c
tests_tcholesky_CPPFLAGS = $(TEST_CPPFLAGS)
tests_tcholesky_LDADD = $(TEST_LDADD)
tests_tbeta_inc_SOURCES = tests/tbeta_inc.c
tests_tbeta_inc_CPPFLAGS = $(TEST_CPPFLAGS)
tests_tbeta_inc_LDADD = $(TEST_LDADD)
