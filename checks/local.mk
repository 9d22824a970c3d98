libthmcheck_la_SOURCES += checks/registry.c
