# Engine and reports: everything that knows the backend table (also
# compiled once more with a test-only third backend, tests/tbackend3).
TC_ENGINE_SOURCES = \
	src/engine/backends.c src/engine/record.c src/engine/point.c src/engine/seed.c \
	src/engine/param_spec.c src/engine/tape.c src/engine/prepare.c \
	src/engine/run_job.c src/engine/run_claims.c src/engine/grid.c src/engine/search.c src/engine/shrink.c \
	src/engine/compare.c src/engine/mutants.c src/engine/tightness.c src/engine/sequential.c src/engine/search_stats.c src/engine/aggregate.c \
	src/engine/aggregate_deterministic.c src/engine/aggregate_probability.c \
	src/engine/aggregate_expectation.c src/engine/aggregate_rate.c \
	src/report/report_common.c src/report/report_md.c src/report/report_tex.c src/report/report_tex_figure.c \
	src/report/report_json.c src/report/report_write.c \
	src/report/term_escape.c src/report/report_target.c src/report/report_audit.c \
	src/report/sha256.c src/report/report_partial.c
# Engine, catalog, reports (the layers above the numeric backends).
libthmcheck_la_SOURCES += \
	src/catalog/catalog_load.c src/catalog/catalog_latex.c src/catalog/catalog_objective.c \
	$(TC_ENGINE_SOURCES)
noinst_HEADERS += src/engine/engine_impl.h src/report/report_common.h src/catalog/catalog_latex.h src/catalog/catalog_objective.h
