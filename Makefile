# atelier: build, test, install.
#
#   make            ./atelier
#   make build-deps install the Debian packages the build needs (no more)
#   make deps       install those and the ones the tests need
#   make check      every test, also under AddressSanitizer+UBSan and valgrind
#   make install    PREFIX=/usr/local DESTDIR=
#   make deb        the Debian package, into build/deb/
#   make WATCH=none build without inotify (--watch then says it is not
#                   available); the default is inotify where it compiles
#   make po-update  after a message changed: po/atelier.pot, po/fr.po merged
#
# GNU make is required (gmake on the BSDs and macOS); the build recipes need
# only a POSIX shell and utilities. See docs/portability.md.
# Sources are found by wildcard, one folder a stage (README, Layout): a new
# src/emit/emit_*.c needs no Makefile edit. Objects are named after the file
# alone, so no two folders may hold files of the same name. The formats and
# the stage on large libraries are modules (MODULES below), which ./atelier
# loads when it first needs one.

CC      ?= cc
PKGS    := yaml-0.1 libcmark-gfm xlsxwriter vips pangocairo cairo-pdf librsvg-2.0 libzip \
           minizip zlib libutf8proc
# minizip's folder holds a zip.h that would hide libzip's: its headers are
# named <minizip/zip.h> instead.
PKG_CFLAGS := $(filter-out %/minizip,$(shell pkg-config --cflags $(PKGS) 2>/dev/null))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

# Modules (src/util/module.h): what a build of Markdown and HTML does not
# need, in shared objects that ./atelier opens when it first writes an xlsx
# (libxlsxwriter), a PDF, ODT or DOCX (Pango, Cairo, librsvg, libzip), or
# processes a figure's pixels (libvips). The binary itself links only
# CORE_PKGS. Static builds (sanitizers, unit tests, fuzzers) link it all.
MODULES          := xlsx print figures
MOD_SRC_xlsx     := $(wildcard src/emit/emit_xlsx*.c)
MOD_PKGS_xlsx    := xlsxwriter minizip zlib
MOD_SRC_print    := $(wildcard src/emit/emit_pdf.c src/emit/pdf_*.c \
                      src/emit/emit_odt.c src/emit/odt_*.c \
                      src/emit/emit_docx.c src/emit/docx_*.c) \
                    src/emit/ff_image.c src/util/zipout.c
MOD_PKGS_print   := pangocairo cairo-pdf librsvg-2.0 libzip
MOD_SRC_figures  := src/figures/figure_vips.c
MOD_PKGS_figures := vips
CORE_PKGS        := yaml-0.1 libcmark-gfm minizip zlib libutf8proc
CORE_LIBS        := $(shell pkg-config --libs $(CORE_PKGS) 2>/dev/null)
MOD_SRC          := $(foreach m,$(MODULES),$(MOD_SRC_$(m)))
MOD_SO           := $(foreach m,$(MODULES),build/mod/$(m).so)
WARN    := -Wall -Wextra -Wpedantic -Werror -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2 -Wvla
CFLAGS  ?= -O2 -g
# POSIX.1-2008 and no more; the two files that need an extension ask for
# it themselves (docs/portability.md). Empty it where an explicit
# _POSIX_C_SOURCE hides what those files ask for (the BSDs).
FEATURES ?= -D_POSIX_C_SOURCE=200809L
# --watch needs inotify: detected once per make run, unless given.
ifeq ($(origin WATCH),undefined)
WATCH := $(shell printf '\043include <sys/inotify.h>\nint main(void) { return inotify_init1(IN_CLOEXEC) < 0; }\n' | \
	   $(CC) -std=c11 $(FEATURES) -x c -o /dev/null - >/dev/null 2>&1 && \
	   echo inotify || echo none)
endif
ifeq ($(filter inotify none,$(WATCH)),)
$(error WATCH must be inotify or none, not '$(WATCH)')
endif
WATCH_DEF = -DAT_WATCH_INOTIFY=$(if $(filter inotify,$(WATCH)),1,0)
# -fPIC: the same objects make the binary and the modules.
ALL_CFLAGS = -std=c11 $(WARN) $(CFLAGS) $(CPPFLAGS) $(FEATURES) $(WATCH_DEF) \
             -Iinclude $(SRC_INC) -Ibuild/gen $(PKG_CFLAGS) -MMD -MP -fPIC
LDLIBS  := $(PKG_LIBS)
SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all \
           -fno-omit-frame-pointer
PREFIX  ?= /usr/local
DESTDIR ?=
PYTHON  ?= /usr/bin/python3

SRC_DIRS := $(patsubst %/,%,$(sort $(dir $(wildcard src/*/*.c))))
SRC_INC  := $(addprefix -I,$(SRC_DIRS))
GEN_SRC  := build/gen/template.c build/gen/template_fr.c build/gen/schema.c
# Everything but main, the modules linked in (module_linked.c): what static
# builds link.
LIB_SRC  := $(filter-out src/cli/main.c src/util/module.c,$(wildcard src/*/*.c)) \
            $(GEN_SRC)
LIB_OBJ  := $(patsubst %.c,build/obj/%.o,$(notdir $(LIB_SRC)))
# What ./atelier links: no module, which it loads through module.c.
CORE_SRC := $(filter-out src/cli/main.c src/util/module_linked.c $(MOD_SRC), \
              $(wildcard src/*/*.c)) $(GEN_SRC)
CORE_OBJ := $(patsubst %.c,build/obj/%.o,$(notdir $(CORE_SRC)))
SAN_OBJ  := $(patsubst %.c,build/asan/%.o,$(notdir $(LIB_SRC)))
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(patsubst tests/unit/%.c,build/tests/%,$(UNIT_SRC))
UNIT_SAN := $(patsubst tests/unit/%.c,build/tests-asan/%,$(UNIT_SRC))

vpath %.c $(SRC_DIRS) build/gen tests/unit

# Keep objects that only a test links: make would delete them as
# intermediates and rebuild them on every run.
.SECONDARY:

# The languages of messages besides English (po/LANG.po), built into
# build/locale for the uninstalled binary.
LANGS    := fr
MO       := $(foreach l,$(LANGS),build/locale/$(l)/LC_MESSAGES/atelier.mo)

.PHONY: all check unit unit-asan e2e deps install uninstall clean lint bench \
        po-update po-check
all: atelier $(MOD_SO) $(MO)

# ---- Messages (GNU gettext): English in the sources, po/LANG.po ----
# at_diag_add translates its format (argument 6, or 7 to xgettext, which
# counts the comma of a position written (at_pos){0, 0}); the binder's and the
# loader's helpers theirs; _(), N_() and P_() the rest (src/util/i18n.h).
XGETTEXT_OPTS := --language=C --from-code=UTF-8 --add-comments=TRANSLATORS \
  --keyword=_ --keyword=N_ --keyword=P_:1,2 --keyword=at_diag_add:6 --keyword=at_diag_add:7 \
  --keyword=err:4 --keyword=fail:5 --keyword=check_keys:6 \
  --keyword=expect_map:3 --keyword=get_list:4 --keyword=get_map:4 \
  --keyword=not_a_number:4 --keyword=unknown_question:4 \
  --keyword=io_error:2 --keyword=usage_error:1 --keyword=REFUSE:2 \
  --package-name=atelier --msgid-bugs-address=none --sort-by-file

$(MO): build/locale/%/LC_MESSAGES/atelier.mo: po/%.po
	@mkdir -p $(@D)
	msgfmt --check --output-file=$@ $<

build/po/atelier.pot: $(wildcard src/*/*.c src/*/*.h)
	@mkdir -p $(@D)
	xgettext $(XGETTEXT_OPTS) --output=$@ $(sort $(wildcard src/*/*.c))

# Regenerates the template and merges it into each catalogue: new messages
# come out untranslated, changed ones fuzzy, for po-check to name.
po-update: build/po/atelier.pot
	cp build/po/atelier.pot po/atelier.pot
	@for l in $(LANGS); do msgmerge --quiet --update --backup=none \
	  --no-fuzzy-matching po/$$l.po po/atelier.pot; done

# Every message of the sources translated, none fuzzy (part of make check).
po-check: build/po/atelier.pot
	@sh tests/tools/po-check.sh build/po/atelier.pot $(foreach l,$(LANGS),po/$(l).po)

build/gen/template.c: src/cli/template.yaml tests/tools/embed.sh
	@mkdir -p $(@D)
	sh tests/tools/embed.sh at_template_yaml < $< > $@

build/gen/template_fr.c: src/cli/template.fr.yaml tests/tools/embed.sh
	@mkdir -p $(@D)
	sh tests/tools/embed.sh at_template_fr_yaml < $< > $@

build/gen/schema.c: docs/schema.json tests/tools/embed.sh
	@mkdir -p $(@D)
	sh tests/tools/embed.sh at_schema_json < $< > $@

build/obj/%.o: %.c | build/gen/template.c build/gen/template_fr.c build/gen/schema.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

build/asan/%.o: %.c | build/gen/template.c build/gen/template_fr.c build/gen/schema.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SAN) -c $< -o $@

# What WATCH was: rewritten only when it changes, so that the objects
# built with the other value are rebuilt, and only then.
build/gen/watch.cfg: FORCE
	@mkdir -p $(@D)
	@echo $(WATCH) > $@.tmp-; \
	if cmp -s $@.tmp- $@; then rm -f $@.tmp-; else mv $@.tmp- $@; fi
build/obj/watch.o build/asan/watch.o build/fuzz/obj/watch.o: build/gen/watch.cfg
.PHONY: FORCE

# -rdynamic: the modules call the binary's functions. --as-needed: a
# library the binary does not call is not loaded with it.
atelier: build/obj/main.o $(CORE_OBJ) | $(MOD_SO) $(MO)
	$(CC) $(CFLAGS) $(LDFLAGS) -rdynamic -Wl,--as-needed -o $@ $^ $(CORE_LIBS)

# Where the modules are when the binary cannot tell its own path (no
# /proc): MODDIR, below.
build/obj/module.o: ALL_CFLAGS += -DAT_MODULE_DIR='"$(MODDIR)"'

# A module: its objects and the libraries they need; the binary's own
# functions are found in the binary when the module is loaded.
build/mod/xlsx.so: $(patsubst %.c,build/obj/%.o,$(notdir $(MOD_SRC_xlsx)))
build/mod/print.so: $(patsubst %.c,build/obj/%.o,$(notdir $(MOD_SRC_print)))
build/mod/figures.so: $(patsubst %.c,build/obj/%.o,$(notdir $(MOD_SRC_figures)))
$(MOD_SO): build/mod/%.so:
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -shared -Wl,-Bsymbolic -Wl,--as-needed -o $@ \
	  $^ $(shell pkg-config --libs $(MOD_PKGS_$*))

build/atelier-asan: build/asan/main.o $(SAN_OBJ) | $(MO)
	$(CC) $(CFLAGS) $(LDFLAGS) $(SAN) -o $@ $^ $(LDLIBS)

build/tests/%: build/obj/%.o $(LIB_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS) $(shell pkg-config --libs cmocka)

build/tests-asan/%: build/asan/%.o $(SAN_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) -o $@ $^ $(LDLIBS) $(shell pkg-config --libs cmocka)

# Unit tests find fixtures relative to the repository root.
unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; ./$$t; done

# The one known library leak (tests/lsan.supp) suppressed, as in the e2e
# and fuzz runs: test_ffimage lays out SVG text through fontconfig.
unit-asan: $(UNIT_SAN)
	@set -e; for t in $(UNIT_SAN); do echo "== $$t (asan)"; \
	  ASAN_OPTIONS=detect_leaks=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp ./$$t; done

# End-to-end: the real binary on files, plain, then under the sanitizers,
# then under valgrind (leaks are errors).
e2e: atelier build/atelier-asan $(MO)
	$(PYTHON) tests/run_e2e.py --atelier ./atelier
	ASAN_OPTIONS=detect_leaks=1 $(PYTHON) tests/run_e2e.py --atelier build/atelier-asan
	$(PYTHON) tests/run_e2e.py --atelier ./atelier --valgrind

check: po-check unit unit-asan e2e check-nowatch check-deb
	@$(MAKE) --no-print-directory fuzz-check
	@echo "make check: all tests passed"

# Static analysis, with the checks chosen here: clang's analyzer and the
# bugprone family, less what only flags idioms of this code base:
# insecureAPI (every snprintf/memset), valist.Uninitialized (false alarms on
# va_copy of a parameter, clang 14), reserved-identifier (_POSIX_C_SOURCE),
# sizeof-expression (sizeof *p on arrays of pointers), swappable parameters
# and narrowing conversions (style). cert-err34-c: no atoi.
TIDY_CHECKS := -*,clang-analyzer-*,-clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling,-clang-analyzer-valist.Uninitialized,bugprone-*,-bugprone-easily-swappable-parameters,-bugprone-narrowing-conversions,-bugprone-assignment-in-if-condition,-bugprone-reserved-identifier,-bugprone-sizeof-expression,cert-err34-c,misc-redundant-expression
lint:
	clang-tidy --quiet --checks='$(TIDY_CHECKS)' --warnings-as-errors='*' \
	  src/*/*.c -- -std=c11 $(FEATURES) $(WATCH_DEF) -Iinclude $(SRC_INC) -Ibuild/gen $(PKG_CFLAGS)
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
	  --std=c11 --inline-suppr -Iinclude $(SRC_INC) src

# What building needs (debian/control's Build-Depends name the same
# libraries), then what the tests need on top: make deps installs both.
BUILD_PKGS := gcc make pkg-config gettext libyaml-dev libcmark-gfm-dev \
              libcmark-gfm-extensions-dev libxlsxwriter-dev libvips-dev \
              libpango1.0-dev libcairo2-dev librsvg2-dev libzip-dev \
              libminizip-dev zlib1g-dev libutf8proc-dev \
              fonts-dejavu-core
DEB_PKGS := $(BUILD_PKGS) \
            libcmocka-dev python3 python3-openpyxl python3-yaml \
            python3-jsonschema tidy valgrind clang libclang-rt-14-dev \
            debhelper dpkg-dev lintian man-db locales libreoffice-calc-nogui \
            python3-pil python3-pypdf python3-docx python3-odf strace \
            poppler-utils libreoffice-writer-nogui chromium fonts-noto-core
build-deps:
	@sh tests/tools/apt-missing.sh build-deps $(BUILD_PKGS)

deps:
	@sh tests/tools/apt-missing.sh deps $(DEB_PKGS)
	@sh tests/tools/locale-fr.sh

# One install recipe: debian/rules calls it too (DESTDIR=debian/atelier
# PREFIX=/usr), so the package holds exactly these files.
BINDIR  = $(PREFIX)/bin
# The modules, where module.c looks from BINDIR: ../lib/atelier.
MODDIR  = $(PREFIX)/lib/atelier
MAN1DIR = $(PREFIX)/share/man/man1
DATADIR = $(PREFIX)/share/atelier
DOCDIR  = $(PREFIX)/share/doc/atelier
EXAMPLE := examples/moulins-2016
INSTALL_DOCS := $(wildcard docs/*.md)
INSTALL_EXAMPLE := $(EXAMPLE)/session.yaml $(EXAMPLE)/agrilocal63.svg

install: atelier $(MOD_SO) $(MO)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MAN1DIR) $(DESTDIR)$(DATADIR) \
	  $(DESTDIR)$(DOCDIR)/docs $(DESTDIR)$(DOCDIR)/$(EXAMPLE) $(DESTDIR)$(MODDIR)
	install -m 755 atelier $(DESTDIR)$(BINDIR)/atelier
	install -m 644 $(MOD_SO) $(DESTDIR)$(MODDIR)/
	install -m 644 man/atelier.1 $(DESTDIR)$(MAN1DIR)/atelier.1
	install -m 644 docs/schema.json $(DESTDIR)$(DATADIR)/schema.json
	install -m 644 README.md $(DESTDIR)$(DOCDIR)/README.md
	install -m 644 $(INSTALL_DOCS) $(DESTDIR)$(DOCDIR)/docs
	install -m 644 $(INSTALL_EXAMPLE) $(DESTDIR)$(DOCDIR)/$(EXAMPLE)
	@for l in $(LANGS); do \
	  d=$(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES; \
	  echo "install -m 644 build/locale/$$l/LC_MESSAGES/atelier.mo $$d/"; \
	  install -d $$d && \
	  install -m 644 build/locale/$$l/LC_MESSAGES/atelier.mo $$d/atelier.mo \
	  || exit 1; done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/atelier $(DESTDIR)$(MAN1DIR)/atelier.1
	rm -rf $(DESTDIR)$(MODDIR)
	rm -rf $(DESTDIR)$(DATADIR) $(DESTDIR)$(DOCDIR)
	rm -f $(foreach l,$(LANGS),$(DESTDIR)$(PREFIX)/share/locale/$(l)/LC_MESSAGES/atelier.mo)

# ---- The Debian package (debian/), built from a copy in build/deb/ so
# that dpkg-buildpackage writes its artefacts there, not beside the
# checkout. The version is ATELIER_VERSION of include/atelier/atelier.h:
# debian/changelog is written from it in the copy.
VERSION  := $(shell sed -n 's/^\#define ATELIER_VERSION "\(.*\)"$$/\1/p' \
	      include/atelier/atelier.h)
DEB      := build/deb
DEB_TREE := $(DEB)/atelier-$(VERSION)
DEB_COPY := Makefile README.md LICENSE debian docs include man po src

.PHONY: deb check-deb check-deb-install check-nowatch build-deps
deb:
	@test -n "$(VERSION)" || { echo "make deb: no ATELIER_VERSION in" \
	  "include/atelier/atelier.h" >&2; exit 1; }
	rm -rf $(DEB)
	mkdir -p $(DEB_TREE)/tests/tools $(DEB_TREE)/$(EXAMPLE)
	cp -R $(DEB_COPY) $(DEB_TREE)/
	cp tests/tools/embed.sh $(DEB_TREE)/tests/tools/
	cp $(INSTALL_EXAMPLE) $(DEB_TREE)/$(EXAMPLE)/
	sh debian/write-changelog $(VERSION) > $(DEB_TREE)/debian/changelog
	cd $(DEB_TREE) && dpkg-buildpackage -b -us -uc
	rm -rf $(DEB_TREE)
	@ls $(DEB)/atelier_$(VERSION)_*.deb

# Builds the package, lints it and checks what it installs (see the
# script): check-deb unpacks it into a scratch root; check-deb-install
# installs it on this machine with apt-get (root or sudo: for CI's
# throwaway machine, not make check).
check-deb: atelier
	sh tests/tools/test-deb.sh
check-deb-install: atelier $(MO)
	sh tests/tools/test-deb.sh --install

# The build without inotify, in its own folder: it compiles, and its
# --watch refuses.
NOWATCH     := build/nowatch
NOWATCH_OBJ := $(patsubst %.c,$(NOWATCH)/%.o,$(notdir src/cli/main.c $(LIB_SRC)))
$(NOWATCH)/%.o: %.c | build/gen/template.c build/gen/schema.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -UAT_WATCH_INOTIFY -DAT_WATCH_INOTIFY=0 -c $< -o $@
$(NOWATCH)/atelier: $(NOWATCH_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

check-nowatch: $(NOWATCH)/atelier atelier
	sh tests/tools/test-nowatch.sh $(NOWATCH)/atelier

clean:
	rm -rf build atelier

-include $(wildcard build/obj/*.d build/asan/*.d $(NOWATCH)/*.d)

# ---- Benchmarks (docs/performance.md); never part of make check ----
#   make bench                 S, M, L, XL against the floor of the libraries
#                              and the peers, the scale of 10,000 sessions,
#                              a profile on L (about 30 minutes)
#   make bench BENCH_QUICK=1   S and M only (about a minute)
#   make bench-scale           the repository of sessions only
#   make bench-profile         the profile on L only
#   make bench-deps            install what the benchmarks need
# Everything goes to build/bench. Workloads are generated once and kept (XL
# takes a few minutes to generate and extract); the atelier measured is a
# copy, so that a rebuild during a run cannot change it: bin/atelier and
# its modules in lib/atelier, as installed.
BENCH       := build/bench
BENCH_PKGS  := hyperfine pandoc python3-markdown python3-xlsxwriter \
               python3-yaml time valgrind
BENCH_LOADS := $(if $(BENCH_QUICK),S M,S M L XL)
BENCH_TREES := 1000 10000
BENCH_TOOLS := $(BENCH)/bin/atelier $(BENCH)/floor_yaml $(BENCH)/floor_cmark \
               $(BENCH)/floor_xlsx $(BENCH)/floor_report $(BENCH)/nofsync.so
BENCH_GEN   := bench/frgen.py

.PHONY: bench-deps bench-scale bench-profile

bench-deps:
	@sh tests/tools/apt-missing.sh bench-deps $(BENCH_PKGS)

# One recipe runs all three, so that they measure the same copy of atelier.
BENCH_RUN     = $(PYTHON) bench/run-bench --work $(BENCH) --atelier $(BENCH)/bin/atelier
BENCH_SCALE   = $(PYTHON) bench/run-scale --work $(BENCH) --atelier $(BENCH)/bin/atelier
BENCH_PROFILE = $(PYTHON) bench/profile --work $(BENCH) --atelier $(BENCH)/bin/atelier
BENCH_TREE_IN = $(foreach n,$(BENCH_TREES),$(BENCH)/tree-$(n).json)

bench: bench-deps $(BENCH_TOOLS) $(foreach w,$(BENCH_LOADS),$(BENCH)/$(w).cells) \
       $(if $(BENCH_QUICK),,$(BENCH_TREE_IN))
	$(BENCH_RUN) $(BENCH_LOADS)
	$(if $(BENCH_QUICK),,$(BENCH_SCALE) $(BENCH_TREES))
	$(if $(BENCH_QUICK),,$(BENCH_PROFILE) L)

bench-scale: bench-deps $(BENCH_TOOLS) $(BENCH_TREE_IN)
	$(BENCH_SCALE) $(BENCH_TREES)

bench-profile: $(BENCH)/bin/atelier $(BENCH)/L.yaml
	$(BENCH_PROFILE) L

$(BENCH)/bin/atelier: atelier $(MOD_SO)
	@mkdir -p $(@D) $(BENCH)/lib/atelier
	cp $(MOD_SO) $(BENCH)/lib/atelier/
	cp atelier $@

# The floor programs: the same warnings as atelier itself.
$(BENCH)/floor_%: bench/floor_%.c
	@mkdir -p $(@D)
	$(CC) -std=c11 $(WARN) $(CFLAGS) $(PKG_CFLAGS) $< -o $@ $(PKG_LIBS)

# Links nothing but the C library: the floor of a process that writes.
$(BENCH)/floor_report: bench/floor_report.c
	@mkdir -p $(@D)
	$(CC) -std=c11 $(WARN) $(CFLAGS) $< -o $@

$(BENCH)/nofsync.so: bench/nofsync.c
	@mkdir -p $(@D)
	$(CC) -std=c11 $(WARN) $(CFLAGS) -fPIC -shared $< -o $@

# S is the bundled example, with its figure; M, L, XL are generated.
$(BENCH)/S.yaml: examples/moulins-2016/session.yaml
	@mkdir -p $(@D)
	cp $< $@
	cp examples/moulins-2016/agrilocal63.svg $(@D)/

$(BENCH)/%.yaml: bench/gen-workload $(BENCH_GEN)
	@mkdir -p $(@D)
	$(PYTHON) bench/gen-workload $* $@

# The floor programs' inputs (W.texts and W.cells), from the session and
# from atelier's own CSV export: see bench/floor-inputs.
$(BENCH)/%.cells: $(BENCH)/%.yaml bench/floor-inputs bench/sessionwalk.py | $(BENCH)/bin/atelier
	@mkdir -p $(BENCH)/csv-$*
	$(BENCH)/bin/atelier build $< -f csv --max-input=1G -o $(BENCH)/csv-$*
	$(PYTHON) bench/floor-inputs $< $(BENCH)/csv-$*/$*.csv $(BENCH)/$*

# A repository of N sessions; tree-N.json, written last, says it is whole.
$(BENCH)/tree-%.json: bench/gen-sessions $(BENCH_GEN)
	rm -rf $(BENCH)/tree-$*
	$(PYTHON) bench/gen-sessions $* $(BENCH)/tree-$*

# ---- Fuzzing (fuzz/): clang's libFuzzer, with ASan and UBSan ----
#   make fuzz                      each target for FUZZ_SECONDS (300), one
#                                  after the other
#   make fuzz FUZZ_SECONDS=1800    the campaign an issue is resolved on
#   make fuzz-short                each for FUZZ_SHORT seconds (20): the last
#                                  step of make check where clang has
#                                  libFuzzer (skipped, saying so, elsewhere)
#   make fuzz-build                only build the targets
# Targets: fuzz_load (the front half and diagnostics on any bytes),
# fuzz_emit (every emitter and the index on what validates), fuzz_manifest
# (the folder build's manifest). Corpora grow in build/fuzz/corpus/NAME,
# seeded from examples/ and tests/ (fuzz/seed-corpus.sh). A crash, leak or
# timeout stops the run and leaves build/fuzz/artifacts/NAME-crash-*:
# minimise it (build/fuzz/fuzz_NAME -minimize_crash=1 -runs=10000 FILE),
# add it to tests/regress/ (see tests/e2e/test_hostile.py), then fix it.
FUZZ_CC      := clang
FUZZ         := build/fuzz
FUZZ_SECONDS ?= 300
FUZZ_SHORT   ?= 20
FUZZ_NAMES   := $(patsubst fuzz/fuzz_%.c,%,$(wildcard fuzz/fuzz_*.c))
FUZZ_BINS    := $(addprefix $(FUZZ)/fuzz_,$(FUZZ_NAMES))
FUZZ_OBJ     := $(patsubst %.c,$(FUZZ)/obj/%.o,$(notdir $(LIB_SRC)))
FUZZ_CFLAGS   = -std=c11 $(WARN) -O1 -g $(FEATURES) $(WATCH_DEF) -Iinclude $(SRC_INC) \
                -Ibuild/gen $(PKG_CFLAGS) -MMD -MP $(SAN) -Wno-format-nonliteral
# (clang, unlike gcc, flags the v*printf wrappers: buf.c, emit_md.c's labels.)
# Per target: the largest input and the seconds one input may take. The
# emitters' work grows with the input: fuzz_emit also lowers the limits.
FUZZ_OPTS_load     := -max_len=65536 -timeout=10 -dict=fuzz/yaml.dict
FUZZ_OPTS_emit     := -max_len=16384 -timeout=10 -dict=fuzz/yaml.dict
FUZZ_OPTS_manifest := -max_len=8192 -timeout=10
FUZZ_RUN_OPTS := -rss_limit_mb=2048 -print_final_stats=1
# Leaks are errors, less the one library leak the e2e runs suppress too
# (tests/lsan.supp: fontconfig, when librsvg lays out an SVG's text).
FUZZ_ENV      := UBSAN_OPTIONS=print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
                 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp
# Whether $(FUZZ_CC) can link a libFuzzer target at all.
FUZZ_AVAILABLE = printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n)\n{ (void)d; (void)n; return 0; }\n' | \
                 $(FUZZ_CC) -x c -fsanitize=fuzzer -o /dev/null - >/dev/null 2>&1

.PHONY: fuzz fuzz-short fuzz-check fuzz-build

$(FUZZ)/obj/%.o: %.c | build/gen/template.c build/gen/template_fr.c build/gen/schema.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ)/fuzz_%: fuzz/fuzz_%.c $(FUZZ_OBJ)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ \
	  $(filter %.c %.o,$^) $(LDLIBS)

$(FUZZ)/seeds.stamp: fuzz/seed-corpus.sh atelier \
		$(wildcard examples/*/*.yaml tests/valid/*.yaml \
		  tests/invalid/*.yaml tests/regress/*)
	sh fuzz/seed-corpus.sh $(FUZZ)/seeds ./atelier
	@touch $@

fuzz-build: $(FUZZ_BINS)

# One target for FUZZ_TIME seconds; new inputs go to the first folder.
fuzz-run-%: $(FUZZ)/fuzz_% $(FUZZ)/seeds.stamp
	@mkdir -p $(FUZZ)/corpus/$* $(FUZZ)/artifacts
	$(FUZZ_ENV) $(FUZZ)/fuzz_$* $(FUZZ)/corpus/$* $(FUZZ)/seeds/$* \
	  $(FUZZ_OPTS_$*) $(FUZZ_RUN_OPTS) -max_total_time=$(FUZZ_TIME) \
	  -artifact_prefix=$(FUZZ)/artifacts/$*-

fuzz: $(FUZZ_BINS) $(FUZZ)/seeds.stamp
	@set -e; for t in $(FUZZ_NAMES); do \
	  $(MAKE) --no-print-directory fuzz-run-$$t FUZZ_TIME=$(FUZZ_SECONDS); done

fuzz-short: $(FUZZ_BINS) $(FUZZ)/seeds.stamp
	@set -e; for t in $(FUZZ_NAMES); do \
	  $(MAKE) --no-print-directory fuzz-run-$$t FUZZ_TIME=$(FUZZ_SHORT); done

fuzz-check:
	@if $(FUZZ_AVAILABLE); then $(MAKE) --no-print-directory fuzz-short; \
	else echo "fuzz-short skipped: $(FUZZ_CC) with libFuzzer is not" \
	  "installed (apt-get install clang)"; fi

-include $(wildcard $(FUZZ)/obj/*.d $(FUZZ)/*.d)
