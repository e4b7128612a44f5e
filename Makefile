# Makefile: build, run, test, bench, fuzz and install palaver (GNU make).
#
#   make            build/palaver
#   make run        serve the demo through nginx on 127.0.0.1:$(PORT)
#                   (VAR=var, CONF=$(VAR)/palaver.conf, VERBOSE=1)
#   make cli        palaver's command line against it: ARGS="user list"
#   make test       layering check, unit, end-to-end and browser tests under
#                   ASan/UBSan, on SQLite and on a throwaway PostgreSQL
#                   (tests/pg.sh), the threaded unit tests and the
#                   end-to-end tests under TSan, fuzz smoke
#   make tsan       the threaded unit tests and the end-to-end tests
#                   against ThreadSanitizer builds
#   make bench      wrk through nginx, SQLite and PostgreSQL side by side
#   make fuzz       every libFuzzer target for $(FUZZ_SECONDS) seconds
#   make install    PREFIX=/usr/local DESTDIR= (see README: Deployment)
#   make pot        po/palaver.pot from the sources, and po/*.po merged
#   make po-check   every catalog complete and up to date (make test runs it)
#
# CPPFLAGS, CFLAGS and LDFLAGS from the environment or the command line are
# honoured (dpkg-buildflags gives them when packaging).

PORT		?= 8080
VAR		?= var
PALAVER_BIN	?= build/palaver
FUZZ_SECONDS	?= 60
FUZZ_SMOKE	?= 10

PREFIX		?= /usr/local
BINDIR		?= $(PREFIX)/bin
DATADIR		?= $(PREFIX)/share/palaver
LIBDIR		?= $(PREFIX)/lib/palaver
UNITDIR		?= $(PREFIX)/lib/systemd/system
LOCALEDIR	?= $(PREFIX)/share/locale

PKGS		 = fcgi sqlite3 libpq libsodium md4c inih jansson libxml-2.0 zlib \
		   libcurl
WARN		 = -Wall -Wextra -Wshadow -Wstrict-prototypes \
		   -Wmissing-prototypes -Wformat=2 -Wvla -Wwrite-strings
ifeq ($(CI),true)
WARN		+= -Werror
endif
ifneq ($(WERROR),)
WARN		+= -Werror
endif
# Debian's hardening flags (what dpkg-buildflags gives with hardening=+all).
HARDEN		 = -fstack-protector-strong -fstack-clash-protection \
		   -fcf-protection -D_FORTIFY_SOURCE=2 -fPIE
HARDEN_LD	 = -pie -Wl,-z,relro -Wl,-z,now

# pkg-config runs once, when something is compiled (after `make run` or
# `make test` have installed what is missing); build/pkg-ok shows its
# error and stops the build when a library is missing.
PKG_CFLAGS	 = $(eval PKG_CFLAGS := $$(shell pkg-config --cflags $(PKGS)))$(PKG_CFLAGS)
PKG_LIBS	 = $(eval PKG_LIBS := $$(shell pkg-config --libs $(PKGS)))$(PKG_LIBS)

CFLAGS		?= -O2 -g
ALL_CFLAGS	 = -std=c11 -D_DEFAULT_SOURCE $(WARN) $(PKG_CFLAGS) -Isrc \
		   -Ibuild -MMD -MP $(CPPFLAGS)
LIBS		 = $(PKG_LIBS) -lpthread -lm

SAN_FLAGS	 = -O1 -g -fno-omit-frame-pointer \
		   -fsanitize=address,undefined -fno-sanitize-recover=undefined
TSAN_FLAGS	 = -O1 -g -fno-omit-frame-pointer -fsanitize=thread
FUZZ_CC		 = clang
FUZZ_FLAGS	 = -O1 -g -fno-omit-frame-pointer \
		   -fsanitize=fuzzer-no-link,address,undefined

# The layers, bottom first (see README: Layout); tests/layers.sh checks
# that includes only point down.
LAYERS		 = core model store auth render domain http import web cli
SRCS		:= $(wildcard $(LAYERS:%=src/%/*.c)) src/main.c
LIB_SRCS	:= $(filter-out src/main.c,$(SRCS))
SQLS_SQLITE	:= $(sort $(wildcard sql/sqlite/*.sql))
SQLS_PG		:= $(sort $(wildcard sql/postgres/*.sql))
UNIT_SRCS	:= $(wildcard tests/unit/test_*.c)
FUZZ_SRCS	:= $(wildcard tests/fuzz/fuzz_*.c)

OBJS		:= $(SRCS:src/%.c=build/obj/%.o) build/obj/sql_gen.o
SAN_OBJS	:= $(LIB_SRCS:src/%.c=build/asan/obj/%.o) build/asan/obj/sql_gen.o
TSAN_OBJS	:= $(SRCS:src/%.c=build/tsan/obj/%.o) build/tsan/obj/sql_gen.o
TSAN_LIB_OBJS	:= $(filter-out build/tsan/obj/main.o,$(TSAN_OBJS))
FUZZ_OBJS	:= $(LIB_SRCS:src/%.c=build/fuzz/obj/%.o) build/fuzz/obj/sql_gen.o
UNIT_BINS	:= $(UNIT_SRCS:tests/unit/%.c=build/asan/%)
# The unit tests that run threads over shared state, built again with
# ThreadSanitizer: the page cache, the group-commit writer, the password
# hash slots and the hook runner (threads spawning and reaping children).
TSAN_UNITS	:= cache writer auth hook
TSAN_UNIT_BINS	:= $(TSAN_UNITS:%=build/tsan/test_%)
FUZZ_BINS	:= $(FUZZ_SRCS:tests/fuzz/%.c=build/fuzz/%)

# The message catalogs (README: Languages): po/LANG.po, compiled to
# build/locale/LANG/LC_MESSAGES/palaver.mo.  The binaries in build/ read
# them there; the one `make install` installs reads $(LOCALEDIR).
LINGUAS		:= $(sort $(basename $(notdir $(wildcard po/*.po))))
MOS		:= $(LINGUAS:%=build/locale/%/LC_MESSAGES/palaver.mo)
BUILD_LOCALEDIR	:= $(abspath build/locale)
I18N_OBJS	:= build/obj/core/i18n.o build/asan/obj/core/i18n.o \
		   build/tsan/obj/core/i18n.o build/fuzz/obj/core/i18n.o
$(I18N_OBJS): ALL_CFLAGS += -DLOCALEDIR='"$(BUILD_LOCALEDIR)"'
# xgettext's keywords: core/i18n.h's macros.
XGETTEXT_FLAGS	 = --from-code=UTF-8 --language=C --add-comments=TRANSLATORS: \
		   --keyword=_ --keyword=N_ --keyword=NG_:1,2 --keyword=NN_:1,2 --keyword=C_:1c,2 \
		   --package-name=palaver --msgid-bugs-address=palaver \
		   --sort-by-file --no-wrap
POT_SRCS	 = $(sort $(wildcard $(LAYERS:%=src/%/*.c) $(LAYERS:%=src/%/*.h)))

.PHONY: all asan deps test-deps run cli test unit unit-pg e2e e2e-pg tsan test-build \
	tsan-build browser browser-pg fuzz fuzz-smoke layers bench install clean \
	pot pot-into po-check FORCE

all: build/palaver $(MOS)

build/pkg-ok:
	@mkdir -p build
	@pkg-config --print-errors --exists $(PKGS) || { \
	    echo "Makefile: a library is missing (above); 'make run' or" \
	    "'make test' install them, or: sh conf/dev/deps.sh run" >&2; \
	    exit 1; }
	@touch $@

# --- the release binary --------------------------------------------------

build/palaver: $(OBJS)
	$(CC) $(HARDEN_LD) $(LDFLAGS) -o $@ $(OBJS) $(LIBS)

build/obj/%.o: src/%.c | build/pkg-ok
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(HARDEN) $(ALL_CFLAGS) -c -o $@ $<

build/obj/sql_gen.o: build/sql_gen.c | build/pkg-ok
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(HARDEN) $(ALL_CFLAGS) -c -o $@ $<

# The migrations of both engines, compiled in as arrays of strings (see
# src/store/).
build/sql_gen.c: $(SQLS_SQLITE) $(SQLS_PG) conf/dev/sql2c.sh
	@mkdir -p $(@D)
	sh conf/dev/sql2c.sh $(SQLS_SQLITE) -- $(SQLS_PG) > $@.tmp && \
	    mv $@.tmp $@

# --- message catalogs --------------------------------------------------

build/locale/%/LC_MESSAGES/palaver.mo: po/%.po
	@mkdir -p $(@D)
	msgfmt --check -o $@.tmp $< && mv $@.tmp $@

# po/palaver.pot from every marked string, then each po/LANG.po merged
# with it (new strings come in untranslated, changed ones fuzzy).
pot:
	$(MAKE) -s --no-print-directory pot-into POT=po/palaver.pot
	@set -e; for l in $(LINGUAS); do \
	    msgmerge --quiet --update --backup=none --no-wrap \
	        --no-fuzzy-matching po/$$l.po po/palaver.pot; done

pot-into:
	xgettext $(XGETTEXT_FLAGS) -o $(POT) $(POT_SRCS)

# Fails when a marked string is missing from po/palaver.pot (make pot) or
# any catalog has a string untranslated or fuzzy, and names them.
po-check:
	sh tests/po-check.sh $(LINGUAS)

# --- sanitizer builds: the binary the tests run, and the unit tests ------

asan: build/asan/palaver $(UNIT_BINS)

build/asan/palaver: $(SAN_OBJS) build/asan/obj/main.o
	$(CC) $(SAN_FLAGS) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBS)

build/asan/obj/%.o: src/%.c | build/pkg-ok
	@mkdir -p $(@D)
	$(CC) $(SAN_FLAGS) $(ALL_CFLAGS) -c -o $@ $<

build/asan/obj/sql_gen.o: build/sql_gen.c | build/pkg-ok
	@mkdir -p $(@D)
	$(CC) $(SAN_FLAGS) $(ALL_CFLAGS) -c -o $@ $<

build/asan/obj/test_%.o: tests/unit/test_%.c | build/pkg-ok
	@mkdir -p $(@D)
	$(CC) $(SAN_FLAGS) $(ALL_CFLAGS) $(shell pkg-config --cflags cmocka) \
	    -c -o $@ $<

build/asan/test_%: build/asan/obj/test_%.o $(SAN_OBJS)
	$(CC) $(SAN_FLAGS) $(LDFLAGS) -o $@ $^ $(LIBS) \
	    $(shell pkg-config --libs cmocka)

# --- ThreadSanitizer: workers, threads, the writer, the cache ------------

tsan-build: build/tsan/palaver $(TSAN_UNIT_BINS)

build/tsan/palaver: $(TSAN_OBJS)
	$(CC) $(TSAN_FLAGS) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBS)

build/tsan/obj/%.o: src/%.c | build/pkg-ok
	@mkdir -p $(@D)
	$(CC) $(TSAN_FLAGS) $(ALL_CFLAGS) -c -o $@ $<

build/tsan/obj/sql_gen.o: build/sql_gen.c | build/pkg-ok
	@mkdir -p $(@D)
	$(CC) $(TSAN_FLAGS) $(ALL_CFLAGS) -c -o $@ $<

build/tsan/obj/test_%.o: tests/unit/test_%.c | build/pkg-ok
	@mkdir -p $(@D)
	$(CC) $(TSAN_FLAGS) $(ALL_CFLAGS) $(shell pkg-config --cflags cmocka) \
	    -c -o $@ $<

build/tsan/test_%: build/tsan/obj/test_%.o $(TSAN_LIB_OBJS)
	$(CC) $(TSAN_FLAGS) $(LDFLAGS) -o $@ $^ $(LIBS) \
	    $(shell pkg-config --libs cmocka)

# --- fuzz targets (clang + libFuzzer) ------------------------------------

build/fuzz/obj/%.o: src/%.c | build/pkg-ok
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(ALL_CFLAGS) -c -o $@ $<

build/fuzz/obj/sql_gen.o: build/sql_gen.c | build/pkg-ok
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(ALL_CFLAGS) -c -o $@ $<

build/fuzz/obj/fuzz_%.o: tests/fuzz/fuzz_%.c | build/pkg-ok
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(ALL_CFLAGS) -c -o $@ $<

build/fuzz/fuzz_%: build/fuzz/obj/fuzz_%.o $(FUZZ_OBJS)
	$(FUZZ_CC) -fsanitize=fuzzer,address,undefined $(LDFLAGS) -o $@ $^ \
	    $(LIBS)

# --- the two commands ----------------------------------------------------

deps:
	sh conf/dev/deps.sh run

test-deps:
	sh conf/dev/deps.sh test

run:
	@sh conf/dev/deps.sh run
	@$(MAKE) -q --no-print-directory build/palaver $(MOS) 2>/dev/null || \
	    $(MAKE) --no-print-directory build/palaver $(MOS)
	@PORT='$(PORT)' VAR='$(VAR)' CONF='$(CONF)' VERBOSE='$(VERBOSE)' \
	    PALAVER_BIN=build/palaver sh conf/dev/run.sh

# The command line against what `make run` serves (its settings, and the
# palaver user when root): make cli ARGS="user add ann --role moderator".
cli: $(PALAVER_BIN)
	@VAR='$(VAR)' CONF='$(CONF)' PALAVER_BIN='$(PALAVER_BIN)' \
	    sh conf/dev/cli.sh $(ARGS)

# The builds for make test, compiled on every core (the suites run one
# at a time: they time what they test).
JOBS		?= $(shell nproc 2>/dev/null || echo 2)

# Everything the suites run, release, sanitizers and fuzzers.
test-build: build/palaver $(MOS) asan tsan-build $(FUZZ_BINS)

test: test-deps
	$(MAKE) layers
	$(MAKE) po-check
	$(MAKE) -j$(JOBS) test-build
	$(MAKE) unit
	$(MAKE) unit-pg
	$(MAKE) e2e
	$(MAKE) e2e-pg
	$(MAKE) browser
	$(MAKE) browser-pg
	$(MAKE) tsan
	$(MAKE) fuzz-smoke

layers:
	sh tests/layers.sh

unit: $(UNIT_BINS) $(MOS)
	@set -e; for t in $(filter-out build/asan/test_pg,$(UNIT_BINS)); do \
	    echo "== $$t"; ASAN_OPTIONS=detect_leaks=1 $$t; done

# The store on PostgreSQL (tests/pg.sh starts a throwaway cluster and
# names it in PALAVER_TEST_PG).
unit-pg: build/asan/test_pg $(MOS)
	@echo "== build/asan/test_pg"
	@ASAN_OPTIONS=detect_leaks=1 sh tests/pg.sh run build/asan/test_pg

# build/palaver too: tests/e2e/service.test.mjs installs it (make install).
e2e: build/asan/palaver build/palaver $(MOS)
	sh tests/e2e/run.sh

# The same suites with every palaver on PostgreSQL.
e2e-pg: build/asan/palaver build/palaver $(MOS)
	sh tests/pg.sh run sh tests/e2e/run.sh

# ThreadSanitizer: first the threaded unit tests (a race makes one exit
# with 66; some 15 s), then the whole end-to-end suite against
# build/tsan/palaver: under TSan it takes about as long as under ASan
# (some five minutes on 2 cores), so no subset is chosen.  It covers the
# supervisor forking and replacing workers, each worker's request threads, the group-commit
# writer under 20 clients posting at once, the page cache, the spam hooks
# and their slots, the feedback thread and SIGHUP reloading the blocklist
# (tests/e2e/concurrency.test.mjs: all at once).  tests/e2e/lib.mjs passes
# TSAN_OPTIONS and fails a test on any report.
TSAN_UNIT_OPTIONS = halt_on_error=0:second_deadlock_stack=1:history_size=4

tsan: tsan-build build/palaver $(MOS)
	@set -e; for t in $(TSAN_UNIT_BINS); do echo "== $$t"; \
	    TSAN_OPTIONS=$(TSAN_UNIT_OPTIONS) $$t; done
	PALAVER_BIN=build/tsan/palaver sh tests/e2e/run.sh

# playwright-core from npm drives Debian's chromium (never a downloaded one).
tests/browser/node_modules/.package-lock.json: tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund

browser: build/asan/palaver $(MOS) tests/browser/node_modules/.package-lock.json
	node --test --test-concurrency=1 tests/browser/

browser-pg: build/asan/palaver $(MOS) tests/browser/node_modules/.package-lock.json
	sh tests/pg.sh run node --test --test-concurrency=1 tests/browser/

fuzz-smoke: $(FUZZ_BINS)
	@set -e; for f in $(FUZZ_BINS); do n=$$(basename $$f); \
	    mkdir -p build/fuzz/corpus/$$n; \
	    echo "== $$n ($(FUZZ_SMOKE) s)"; \
	    seeds=; [ -d tests/fuzz/corpus/$$n ] && seeds=tests/fuzz/corpus/$$n; \
	    $$f -max_total_time=$(FUZZ_SMOKE) -print_final_stats=0 \
	        build/fuzz/corpus/$$n $$seeds 2>build/fuzz/$$n.log \
	        || { tail -50 build/fuzz/$$n.log; exit 1; }; done

fuzz: test-deps
	$(MAKE) $(FUZZ_BINS)
	$(MAKE) fuzz-smoke FUZZ_SMOKE=$(FUZZ_SECONDS)

bench: test-deps
	$(MAKE) build/palaver
	sh tests/bench/run.sh

# --- installing (as Debian packaging expects: PREFIX and DESTDIR) --------

# The installed binary reads the catalogs from $(LOCALEDIR): the same
# objects, but core/i18n.c compiled again with that folder.
build/install/i18n.o: src/core/i18n.c FORCE | build/pkg-ok
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(HARDEN) $(ALL_CFLAGS) -DLOCALEDIR='"$(LOCALEDIR)"' \
	    -c -o $@ src/core/i18n.c

build/install/palaver: $(filter-out build/obj/core/i18n.o,$(OBJS)) \
    build/install/i18n.o
	$(CC) $(HARDEN_LD) $(LDFLAGS) -o $@ $^ $(LIBS)

install: build/install/palaver $(MOS)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/www \
	    $(DESTDIR)$(DATADIR)/conf $(DESTDIR)$(LIBDIR)/hooks \
	    $(DESTDIR)$(UNITDIR)
	install -m 0755 build/install/palaver $(DESTDIR)$(BINDIR)/palaver
	@set -e; for l in $(LINGUAS); do \
	    install -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES; \
	    install -m 0644 build/locale/$$l/LC_MESSAGES/palaver.mo \
	        $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/palaver.mo; done
	install -m 0644 www/* $(DESTDIR)$(DATADIR)/www/
	install -m 0644 conf/palaver.conf $(DESTDIR)$(DATADIR)/conf/
	sed 's|/usr/local/share/palaver|$(DATADIR)|g' conf/nginx.conf \
	    > $(DESTDIR)$(DATADIR)/conf/nginx.conf
	chmod 0644 $(DESTDIR)$(DATADIR)/conf/nginx.conf
	install -m 0755 conf/hooks/akismet $(DESTDIR)$(LIBDIR)/hooks/akismet
	sed 's|/usr/local/bin/palaver|$(BINDIR)/palaver|g' \
	    conf/palaver.service > $(DESTDIR)$(UNITDIR)/palaver.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/palaver.service
	install -m 0644 conf/palaver.socket $(DESTDIR)$(UNITDIR)/palaver.socket

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
