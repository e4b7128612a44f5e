# Makefile: build, run, test, bench and fuzz palaver (GNU make).
#
#   make            build/palaver
#   make run        serve the demo through nginx on 127.0.0.1:$(PORT)
#   make test       unit + end-to-end + browser tests, under ASan/UBSan
#   make bench      wrk through nginx
#   make fuzz       every libFuzzer target for $(FUZZ_SECONDS) seconds

PORT		?= 8080
FUZZ_SECONDS	?= 60
FUZZ_SMOKE	?= 10

PKGS		 = fcgi sqlite3 libsodium md4c inih jansson libxml-2.0
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

PKG_CFLAGS	:= $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS	:= $(shell pkg-config --libs $(PKGS) 2>/dev/null)

CFLAGS		?= -O2 -g
ALL_CFLAGS	 = -std=c11 -D_DEFAULT_SOURCE $(WARN) $(PKG_CFLAGS) -Isrc \
		   -Ibuild -MMD -MP
LIBS		 = $(PKG_LIBS) -lpthread

SAN_FLAGS	 = -O1 -g -fno-omit-frame-pointer \
		   -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CC		 = clang
FUZZ_FLAGS	 = -O1 -g -fno-omit-frame-pointer \
		   -fsanitize=fuzzer-no-link,address,undefined

SRCS		:= $(wildcard src/*.c)
LIB_SRCS	:= $(filter-out src/main.c,$(SRCS))
SQLS		:= $(sort $(wildcard sql/*.sql))
UNIT_SRCS	:= $(wildcard tests/unit/test_*.c)
FUZZ_SRCS	:= $(wildcard tests/fuzz/fuzz_*.c)

OBJS		:= $(SRCS:src/%.c=build/obj/%.o) build/obj/sql_gen.o
SAN_OBJS	:= $(LIB_SRCS:src/%.c=build/asan/obj/%.o) build/asan/obj/sql_gen.o
FUZZ_OBJS	:= $(LIB_SRCS:src/%.c=build/fuzz/obj/%.o) build/fuzz/obj/sql_gen.o
UNIT_BINS	:= $(UNIT_SRCS:tests/unit/%.c=build/asan/%)
FUZZ_BINS	:= $(FUZZ_SRCS:tests/fuzz/%.c=build/fuzz/%)

.PHONY: all asan deps test-deps run test unit e2e browser fuzz fuzz-smoke \
	bench clean

all: build/palaver

# --- the release binary --------------------------------------------------

build/palaver: $(OBJS)
	$(CC) $(HARDEN_LD) -o $@ $(OBJS) $(LIBS)

build/obj/%.o: src/%.c | build/obj
	$(CC) $(CFLAGS) $(HARDEN) $(ALL_CFLAGS) -c -o $@ $<

build/obj/sql_gen.o: build/sql_gen.c | build/obj
	$(CC) $(CFLAGS) $(HARDEN) $(ALL_CFLAGS) -c -o $@ $<

# The migrations, compiled in as an array of strings (see src/migrate.c).
build/sql_gen.c: $(SQLS) conf/dev/sql2c.sh | build
	sh conf/dev/sql2c.sh $(SQLS) > $@.tmp && mv $@.tmp $@

build build/obj build/asan/obj build/fuzz/obj:
	mkdir -p $@

# --- sanitizer builds: the binary the tests run, and the unit tests ------

asan: build/asan/palaver $(UNIT_BINS)

build/asan/palaver: $(SAN_OBJS) build/asan/obj/main.o
	$(CC) $(SAN_FLAGS) -o $@ $^ $(LIBS)

build/asan/obj/%.o: src/%.c | build/asan/obj
	$(CC) $(SAN_FLAGS) $(ALL_CFLAGS) -c -o $@ $<

build/asan/obj/sql_gen.o: build/sql_gen.c | build/asan/obj
	$(CC) $(SAN_FLAGS) $(ALL_CFLAGS) -c -o $@ $<

build/asan/obj/test_%.o: tests/unit/test_%.c | build/asan/obj
	$(CC) $(SAN_FLAGS) $(ALL_CFLAGS) $(shell pkg-config --cflags cmocka) \
	    -c -o $@ $<

build/asan/test_%: build/asan/obj/test_%.o $(SAN_OBJS)
	$(CC) $(SAN_FLAGS) -o $@ $^ $(LIBS) $(shell pkg-config --libs cmocka)

# --- fuzz targets (clang + libFuzzer) ------------------------------------

build/fuzz/obj/%.o: src/%.c | build/fuzz/obj
	$(FUZZ_CC) $(FUZZ_FLAGS) $(ALL_CFLAGS) -c -o $@ $<

build/fuzz/obj/sql_gen.o: build/sql_gen.c | build/fuzz/obj
	$(FUZZ_CC) $(FUZZ_FLAGS) $(ALL_CFLAGS) -c -o $@ $<

build/fuzz/obj/fuzz_%.o: tests/fuzz/fuzz_%.c | build/fuzz/obj
	$(FUZZ_CC) $(FUZZ_FLAGS) $(ALL_CFLAGS) -c -o $@ $<

build/fuzz/fuzz_%: build/fuzz/obj/fuzz_%.o $(FUZZ_OBJS)
	$(FUZZ_CC) -fsanitize=fuzzer,address,undefined -o $@ $^ $(LIBS)

# --- the two commands ----------------------------------------------------

deps:
	sh conf/dev/deps.sh run

test-deps:
	sh conf/dev/deps.sh test

run: deps
	$(MAKE) build/palaver
	PORT=$(PORT) sh conf/dev/run.sh

test: test-deps
	$(MAKE) build/palaver asan $(FUZZ_BINS)
	$(MAKE) unit
	$(MAKE) e2e
	$(MAKE) browser
	$(MAKE) fuzz-smoke

unit: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do echo "== $$t"; \
	    ASAN_OPTIONS=detect_leaks=1 $$t; done

e2e: build/asan/palaver
	sh tests/e2e/run.sh

# playwright-core from npm drives Debian's chromium (never a downloaded one).
tests/browser/node_modules/.package-lock.json: tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund

browser: build/asan/palaver tests/browser/node_modules/.package-lock.json
	node --test --test-concurrency=1 tests/browser/

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

clean:
	rm -rf build

-include $(wildcard build/obj/*.d build/asan/obj/*.d build/fuzz/obj/*.d)
