# letters_triage — PGXS build.
#
#   make                      build (set WERROR=1 to turn warnings into errors, as CI does)
#   make install              install into the PostgreSQL that PG_CONFIG names
#   make installcheck         pg_regress + isolation tests against a running server
#   make prove_installcheck   TAP tests in test/t
#   make test                 everything, on a throwaway server (test/run)
#   make demo                 the demo (test/demo)

EXTENSION  = letters_triage
EXTVERSION = $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" $(EXTENSION).control)

MODULE_big = letters_triage
OBJS       = $(patsubst %.c,%.o,$(sort $(wildcard extension/*.c)))

# The install script of the version under development is assembled from one
# file per concern in extension/install/ (numbered to fix their order).  Scripts of
# released versions and upgrade scripts are kept as they are in extension/.
DATA_built = extension/$(EXTENSION)--$(EXTVERSION).sql
DATA       = $(filter-out $(DATA_built),$(wildcard extension/$(EXTENSION)--*.sql))

REGRESS      = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --inputdir=.
ISOLATION      = $(patsubst test/isolation/specs/%.spec,%,$(sort $(wildcard test/isolation/specs/*.spec)))
ISOLATION_OPTS = --inputdir=test/isolation
TAP_TESTS    = 1
PROVE_TESTS  = test/t/*.pl

# (names of our own: PGXS's Makefile.global sets ICU_CFLAGS and ICU_LIBS to
# what the server was built with, after this file's assignments)
LT_ICU_CFLAGS := $(shell pkg-config --cflags icu-uc icu-i18n)
LT_ICU_LIBS   := $(shell pkg-config --libs icu-uc icu-i18n)
# the server's headers as system headers: -Wextra is for our code, not theirs
# (their inline functions have unused parameters)
PG_CPPFLAGS = -I$(srcdir)/include -isystem $(shell $(PG_CONFIG) --includedir-server) $(LT_ICU_CFLAGS)
PG_CFLAGS   = -Wall -Wextra $(if $(WERROR),-Werror)
SHLIB_LINK  = $(LT_ICU_LIBS)

EXTRA_CLEAN = $(DATA_built) results regression.diffs regression.out output_iso tmp_check log

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# Tests of behaviour that exists only from PostgreSQL 16 on (soft input errors)
# and from 18 on (NOT ENFORCED CHECK constraints).
ifeq ($(shell test $(MAJORVERSION) -ge 16 2>/dev/null && echo yes),)
REGRESS := $(filter-out %_pg16plus,$(REGRESS))
endif
ifeq ($(shell test $(MAJORVERSION) -ge 18 2>/dev/null && echo yes),)
REGRESS := $(filter-out %_pg18plus,$(REGRESS))
endif

$(DATA_built): $(sort $(wildcard extension/install/*.sql)) $(EXTENSION).control
	cat $(sort $(wildcard extension/install/*.sql)) > $@

.PHONY: test demo
test:
	bash test/run
demo:
	bash test/demo

# PGXS tracks no header dependencies: every object is rebuilt when a header
# changes (a struct laid out differently in two objects crashes the server)
$(OBJS): $(wildcard include/*.h)
