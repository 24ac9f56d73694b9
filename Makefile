# isms — build, run and test. `make run` and `make check` install what they need first.

CC      ?= cc
PKGS     = libmicrohttpd jansson libsodium sqlite3 libpq xlsxwriter libcmark
WARN     = -Wall -Wextra -Werror -Wstrict-prototypes -Wvla -Wshadow
CFLAGS_BASE = -std=c11 -D_GNU_SOURCE $(WARN) $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LIBS     = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread
RELEASE  = -O2 -g
SANITIZE = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all

SRC      = $(wildcard src/base/*.c src/store/*.c src/engine/*.c src/iso27001/*.c src/report/*.c \
             src/http/*.c src/cli/*.c)
REL_OBJ  = $(SRC:src/%.c=build/release/obj/%.o) build/release/obj/embedded.o
ASAN_OBJ = $(SRC:src/%.c=build/asan/obj/%.o) build/asan/obj/embedded.o
EMBED    = $(sort $(wildcard web/*.html web/*.js web/*.css web/*.svg data/*.json))
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=build/asan/unit/%)

.PHONY: all run check docs-check deps node-deps unit api-sqlite api-postgres e2e-sqlite e2e-postgres bench clean

all: isms

isms: $(REL_OBJ) build/release/obj/main.o
	@echo "  LINK    $@"
	@$(CC) $(RELEASE) -o $@ $^ $(LIBS)

# -MMD -MP: each object's header dependencies, read back below.
build/release/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS_BASE) $(RELEASE) -MMD -MP -c -o $@ $<

build/asan/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS_BASE) $(SANITIZE) -MMD -MP -c -o $@ $<

-include $(REL_OBJ:.o=.d) $(ASAN_OBJ:.o=.d) build/release/obj/main.d build/asan/obj/main.d

# The web app and shipped data are compiled into the binary.
build/embed: tools/embed.c
	@mkdir -p build
	$(CC) -O1 -o $@ $<

build/embedded.c: build/embed $(EMBED)
	@build/embed $@ $(EMBED)

build/release/obj/embedded.o: build/embedded.c src/base/embed.h
	@$(CC) $(CFLAGS_BASE) -Isrc/base $(RELEASE) -c -o $@ $<

build/asan/obj/embedded.o: build/embedded.c src/base/embed.h
	@mkdir -p $(dir $@)
	@$(CC) $(CFLAGS_BASE) -Isrc/base $(SANITIZE) -c -o $@ $<

build/asan/isms: $(ASAN_OBJ) build/asan/obj/main.o
	@echo "  LINK    $@"
	@$(CC) $(SANITIZE) -o $@ $^ $(LIBS)

# The unit tests and the test server link one static library of everything but main.
build/asan/libisms.a: $(ASAN_OBJ)
	@echo "  AR      $@"
	@rm -f $@ && ar rcs $@ $^

build/asan/isms-test: tests/support/test_types.c tests/support/widget.c \
		tests/support/widget_tally.c build/asan/libisms.a
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS_BASE) $(SANITIZE) -o $@ $^ $(LIBS)

build/asan/unit/%: tests/unit/%.c tests/support/widget.c tests/support/widget_tally.c \
		tests/support/fixture.c \
		build/asan/libisms.a
	@mkdir -p $(dir $@)
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS_BASE) $(SANITIZE) -MMD -MP -o $@ $(filter %.c,$^) build/asan/libisms.a \
		$(LIBS) -lcmocka

-include $(UNIT_BIN:=.d)

# The clause index is generated from the module list; a stale page fails the check.
docs-check: isms
	@./isms clauses --markdown | diff -u docs/clauses.md - || \
		{ echo "docs/clauses.md is stale: ./isms clauses --markdown > docs/clauses.md"; exit 1; }

deps:
	@scripts/install-deps.sh

node-deps: deps
	@if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then npm ci --no-audit --no-fund; fi

# Build, create the database (and demo organization) if absent, and serve it.
run: deps isms
	@if [ ! -f isms.db ]; then ./isms --db isms.db init --demo; else ./isms --db isms.db migrate; fi
	./isms --db isms.db serve --listen 127.0.0.1:8080

unit: $(UNIT_BIN)
	@fail=0; for t in $(UNIT_BIN); do echo "== $$t"; $$t || fail=1; done; exit $$fail

api-sqlite: build/asan/isms-test node-deps
	ISMS_STORE=sqlite tests/api/run.sh

api-postgres: build/asan/isms-test node-deps
	scripts/with-postgres.sh env ISMS_STORE=postgres tests/api/run.sh

e2e-sqlite: build/asan/isms node-deps
	ISMS_STORE=sqlite tests/e2e/run.sh

e2e-postgres: build/asan/isms node-deps
	scripts/with-postgres.sh env ISMS_STORE=postgres tests/e2e/run.sh

# The whole suite: sanitized build, unit tests, API and browser tests on SQLite and on
# PostgreSQL.
check: deps
	$(MAKE) build/asan/isms build/asan/isms-test isms
	$(MAKE) docs-check
	scripts/lint.sh
	$(MAKE) unit
	# The two API suites share nothing (own stores, servers on free ports), so they run side
	# by side, each one's output printed whole when it ends; the browser suites run one at a
	# time.
	$(MAKE) -j2 --output-sync=target api-sqlite api-postgres
	$(MAKE) e2e-sqlite
	$(MAKE) e2e-postgres

bench: deps isms
	bench/run.sh

clean:
	rm -rf build isms
