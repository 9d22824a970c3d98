# The check modules.  Per-module sources and tests come from the one list
# checks/modules.def, through the generated checks/modules.mk; this file
# holds only what modules share.
libthmcheck_la_SOURCES += checks/registry.c
noinst_HEADERS += checks/params.h checks/quadratic_source.h checks/modules.def checks/twolayer_source.h
noinst_HEADERS += checks/twolayer_data.h

# Regenerated when the list changes; automake then remakes Makefile.in,
# since modules.mk is included by Makefile.am.
$(srcdir)/checks/modules.mk: $(srcdir)/checks/modules.def $(srcdir)/scripts/gen-modules-mk
	$(SHELL) $(srcdir)/scripts/gen-modules-mk $(srcdir)/checks/modules.def > $@-t && mv $@-t $@
