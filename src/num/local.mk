# src/num — numeric backends: vectors, matrices, symmetric eigenvalues and
# eigenvectors, Cholesky, QR, triangular solves, exp(tA)v, the fast
# Walsh-Hadamard transform (tc_linalg.h), RK4 and GSL ODE steps (tc_ode.h),
# incomplete beta (tc_special.h), tc_strerror.  The *_source.h templates
# are written once in the private operation list (tc_templates_on.h) and
# compiled for each backend of tc_backends.h by tc_instantiate.h.
libthmcheck_la_SOURCES += \
	src/num/num_impl.h \
	src/num/tc_backends.h src/num/tc_templates_on.h src/num/tc_templates_off.h \
	src/num/tc_instantiate.h \
	src/num/strerror.c \
	src/num/vec_alloc.c src/num/vec_set_zero.c src/num/vec_copy.c \
	src/num/vec_dot.c src/num/dot_mpfr.c src/num/vec_norm2.c src/num/vec_axpy.c src/num/vec_scale.c \
	src/num/vec_fwht.c src/num/fwht_source.h \
	src/num/mat_alloc.c src/num/mat_set_zero.c src/num/mat_copy.c \
	src/num/mat_gemv.c src/num/mat_gemv_trans.c src/num/mat_gemm.c src/num/mat_gram.c \
	src/num/mat_trsv.c \
	src/num/lower_finite.c src/num/all_finite.c \
	src/num/eigen_ws.c src/num/eigen_symm_d.c src/num/eigen_symm_mpfr.c \
	src/num/eigen_load_mpfr.c src/num/eigen_tridiag_mpfr.c src/num/eigen_tridiag_q_mpfr.c \
	src/num/eigen_tql_mpfr.c src/num/eigen_sturm_mpfr.c src/num/eigen_bisect_mpfr.c \
	src/num/eigenv_ws.c src/num/eigen_symmv_d.c src/num/eigen_symmv_mpfr.c \
	src/num/expm.c src/num/expm_source.h \
	src/num/qr_ws.c src/num/qr.c src/num/householder.c src/num/householder_source.h \
	src/num/ode_rk4.c src/num/ode_source.h src/num/ode_adapt.c src/num/ode_adapt_source.h src/num/ode_evolve_d.c \
	src/num/jacobi.c src/num/jacobi_source.h \
	src/num/cholesky.c src/num/cholesky_source.h \
	src/num/beta_inc_d.c src/num/beta_inc_mpfr.c \
	src/num/num_relu.h src/num/relu_patterns.c src/num/relu_patterns_f.c src/num/relu_counts.c src/num/relu_h0_d.c

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

# The operation list's consistency (every name undone, every backend
# complete) and the library's export list against src/libthmcheck.sym.
dist_check_SCRIPTS += tests/tops_list.sh tests/tsymbols.sh
EXTRA_DIST += src/libthmcheck.sym

# The operations added for the coming theorem families; the tests
# instantiate tests/tnum_source.h for both backends.
check_PROGRAMS += tests/tqr tests/ttrsv tests/tfwht tests/tode tests/texpm
noinst_HEADERS += tests/tnum_source.h
NUM_TEST_CPPFLAGS = $(TEST_CPPFLAGS) -I$(top_srcdir)/tests
tests_tqr_SOURCES = tests/tqr.c
tests_tqr_CPPFLAGS = $(NUM_TEST_CPPFLAGS)
tests_tqr_LDADD = $(TEST_LDADD)
tests_ttrsv_SOURCES = tests/ttrsv.c
tests_ttrsv_CPPFLAGS = $(NUM_TEST_CPPFLAGS)
tests_ttrsv_LDADD = $(TEST_LDADD)
tests_tfwht_SOURCES = tests/tfwht.c
tests_tfwht_CPPFLAGS = $(NUM_TEST_CPPFLAGS)
tests_tfwht_LDADD = $(TEST_LDADD)
tests_tode_SOURCES = tests/tode.c
tests_tode_CPPFLAGS = $(NUM_TEST_CPPFLAGS)
tests_tode_LDADD = $(TEST_LDADD)
tests_texpm_SOURCES = tests/texpm.c
tests_texpm_CPPFLAGS = $(NUM_TEST_CPPFLAGS)
tests_texpm_LDADD = $(TEST_LDADD)

# The ReLU pattern route to H(0) (num_relu.h) against the naive formula.
check_PROGRAMS += tests/trelu
tests_trelu_SOURCES = tests/trelu.c
tests_trelu_CPPFLAGS = $(TEST_CPPFLAGS)
tests_trelu_LDADD = $(TEST_LDADD)
