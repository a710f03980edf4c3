# packages.mk: the Python and npm packages, built from the library make builds.
#
#   make python   $(PKG_DIST)/sqlite_portfolio-<version>-py3-none-<platform>.whl (the library
#                 inside) and $(PKG_DIST)/sqlite-portfolio-<version>.tar.gz (an sdist that
#                 compiles ext/ with the system C compiler); offline, Debian's setuptools/wheel
#   make npm-test the tarballs in a project with better-sqlite3 (tests/npm_package.sh)
#   make npm      $(PKG_DIST)/sqlite-portfolio-<version>.tgz (the main package, npm/) and
#                 sqlite-portfolio-<os>-<cpu>-<version>.tgz for each platform library built:
#                 this machine's, and linux-arm64 when build/arm64/portfolio.so exists
#
# Rules:
#   1. Packages are staged in $(BUILD)/pkg (python/ and npm/ with ext/, LICENSE and the
#      library copied in), never built inside the source tree.
#   2. The version is PORTFOLIO_VERSION from the C sources in every package.
#   3. The wheel ships $(BUILD)/$(LIB), the library make test runs against.

PKG_STAGE  := $(BUILD)/pkg
PKG_DIST   ?= $(BUILD)/dist
PY_STAGE   := $(PKG_STAGE)/python
NPM_STAGE  := $(PKG_STAGE)/npm
PKG_VERSION = $(shell sed -n 's/^\#define PORTFOLIO_VERSION "\(.*\)"/\1/p' $(EXT_HDR))
PKG_PYTHON ?= /usr/bin/python3
ARM64_LIB  := build/arm64/portfolio.so

.PHONY: python npm

python: $(BUILD)/$(LIB)
	rm -rf $(PY_STAGE) && mkdir -p $(PY_STAGE)/ext $(PKG_DIST)
	cp -R python/. $(PY_STAGE)/
	cp -R ext/core ext/sqlite $(PY_STAGE)/ext/
	cp LICENSE $(PY_STAGE)/
	rm -f $(PKG_DIST)/sqlite_portfolio-*.whl $(PKG_DIST)/sqlite[-_]portfolio-*.tar.gz
	cd $(PY_STAGE) && $(PKG_PYTHON) setup.py -q sdist -d $(abspath $(PKG_DIST))
	cd $(PY_STAGE) && PORTFOLIO_PREBUILT=$(abspath $(BUILD)/$(LIB)) $(PKG_PYTHON) -m pip \
	  wheel -q --no-index --no-build-isolation --no-deps -w $(abspath $(PKG_DIST)) .
	@ls $(PKG_DIST)/sqlite_portfolio-*.whl $(PKG_DIST)/sqlite[-_]portfolio-*.tar.gz

# This machine's platform as Node names it; linux-arm64 joins when make cross-arm64 built it.
NPM_NATIVE = $(shell node -p 'process.platform + "-" + process.arch' 2>/dev/null)
NPM_ARM64  = $(if $(and $(wildcard $(ARM64_LIB)),$(filter-out linux-arm64,$(NPM_NATIVE))),\
  linux-arm64=$(ARM64_LIB))

npm: $(BUILD)/$(LIB)
	@[ -n "$(NPM_NATIVE)" ] || { echo "make npm: needs node and npm on PATH" >&2; exit 1; }
	rm -f $(PKG_DIST)/sqlite-portfolio-*.tgz
	bash npm/pack.sh $(PKG_VERSION) $(NPM_STAGE) $(PKG_DIST) \
	  $(NPM_NATIVE)=$(BUILD)/$(LIB) $(NPM_ARM64)

# The npm tarballs installed next to better-sqlite3 from the npm registry (tests/npm_package.sh);
# not in make test: it needs the registry, and a fresh build folder compiles better-sqlite3.
.PHONY: npm-test
npm-test:
	BUILD=$(BUILD) bash tests/npm_package.sh
