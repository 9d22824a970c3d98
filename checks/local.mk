libthmcheck_la_SOURCES += checks/registry.c checks/calibration.c
noinst_HEADERS += checks/calibration_source.h checks/params.h
