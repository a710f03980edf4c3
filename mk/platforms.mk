# platforms.mk: cross builds, their tests, and installing the library.
#
#   make cross-arm64         build/arm64/portfolio.so with Debian's aarch64 cross compiler
#   make cross-arm64-test    that library in Debian's own arm64 sqlite3 shell under qemu-user:
#                            every SQL test (sql/tests/*.sql) must give its .expected output
#   make dll                 build/mingw/portfolio.dll with mingw-w64, checked to be an x86-64
#                            PE DLL exporting sqlite3_portfolio_init and needing only Windows' own DLLs
#   make install PREFIX=/usr/local [DESTDIR=...]   $(PREFIX)/lib/portfolio.<so|dylib|dll> and
#                            the README, LICENSE and CHANGELOG in $(PREFIX)/share/doc/portfolio
#   make uninstall PREFIX=...                      removes exactly what install wrote
#
# Rules:
#   1. Cross builds only change CC and BUILD; the platform flags come from the Makefile's
#      look at `$(CC) -dumpmachine`, so `make CC=...` alone gives the same library.
#   2. Debian's arm64 sqlite3 package cannot be installed next to the amd64 one (the package is
#      Multi-Arch: foreign), so its .deb is fetched with `apt-get download` and unpacked into
#      $(ARM64_BUILD)/root; its libraries (libsqlite3-0:arm64 ...) are installed through
#      multiarch by `tests/install-deps.sh --cross`.
#   3. The arm64 shell cannot load an x86-64 library, so a passing SQL test proves the arm64
#      build ran; the library's ELF machine is checked as well.

ARM64_BUILD   ?= build/arm64
ARM64_CC      ?= aarch64-linux-gnu-gcc
ARM64_ROOT    := $(ARM64_BUILD)/root
ARM64_SQLITE3 := $(ARM64_ROOT)/usr/bin/sqlite3
QEMU_AARCH64  ?= qemu-aarch64
DLL_BUILD     ?= build/mingw
MINGW_CC      ?= x86_64-w64-mingw32-gcc
PREFIX        ?= /usr/local
DESTDIR       ?=
INSTALL_LIB   := $(DESTDIR)$(PREFIX)/lib
INSTALL_DOC   := $(DESTDIR)$(PREFIX)/share/doc/portfolio
DOC_FILES     := README.md LICENSE CHANGELOG.md

.PHONY: cross-arm64 cross-arm64-test dll install uninstall

cross-arm64:
	$(MAKE) --no-print-directory BUILD=$(ARM64_BUILD) CC=$(ARM64_CC) $(ARM64_BUILD)/portfolio.so

$(ARM64_SQLITE3):
	rm -rf $(ARM64_BUILD)/deb && mkdir -p $(ARM64_BUILD)/deb
	cd $(ARM64_BUILD)/deb && apt-get download sqlite3:arm64
	dpkg-deb -x $(ARM64_BUILD)/deb/sqlite3_*_arm64.deb $(ARM64_ROOT)

cross-arm64-test: cross-arm64 $(ARM64_SQLITE3)
	@readelf -h $(ARM64_BUILD)/portfolio.so | grep -q 'Machine:.*AArch64' || \
	  { echo "cross-arm64-test: $(ARM64_BUILD)/portfolio.so is not an AArch64 library" >&2; exit 1; }
	@mkdir -p $(ARM64_BUILD)/bin
	@printf '#!/bin/sh\nexec %s %s "$$@"\n' "$(QEMU_AARCH64)" "$(abspath $(ARM64_SQLITE3))" \
	  > $(ARM64_BUILD)/bin/sqlite3 && chmod +x $(ARM64_BUILD)/bin/sqlite3
	@echo "arm64 sqlite3 under qemu: $$($(ARM64_BUILD)/bin/sqlite3 -version | cut -d' ' -f1)"
	@out=$$(PATH=$(abspath $(ARM64_BUILD))/bin:$$PATH \
	  PORTFOLIO_EXT=$(abspath $(ARM64_BUILD))/portfolio bash tests/run_sql_tests.sh); \
	printf '%s\n' "$$out" | sed 's/^/arm64 SQL: /'; \
	printf '%s\n' "$$out" | tail -n 1 | grep -q '^[1-9][0-9]* passed, 0 failed$$'

dll:
	$(MAKE) --no-print-directory BUILD=$(DLL_BUILD) CC=$(MINGW_CC) $(DLL_BUILD)/portfolio.dll
	bash tests/check_dll.sh $(DLL_BUILD)/portfolio.dll

install: $(LIB)
	install -d $(INSTALL_LIB) $(INSTALL_DOC)
	install -m 644 $(LIB) $(INSTALL_LIB)/$(LIB)
	install -m 644 $(DOC_FILES) $(INSTALL_DOC)/
	@echo "Installed $(INSTALL_LIB)/$(LIB); load it with: .load $(PREFIX)/lib/portfolio"

uninstall:
	rm -f $(INSTALL_LIB)/$(LIB) $(addprefix $(INSTALL_DOC)/,$(DOC_FILES))
	rmdir $(INSTALL_DOC) 2>/dev/null || true
