"""Builds the sqlite-portfolio wheel and sdist (make python stages this folder with ext/).

Rules:
  1. The version is the one the C sources declare (#define PORTFOLIO_VERSION), so the
     package and portfolio_version() never disagree.
  2. The library is a SQLite extension, not a Python extension module: it is built with the C
     compiler ($CC, else cc) against the system's SQLite headers and shipped as package data,
     and the wheel is tagged py3-none-<platform> (any Python 3, this platform).
  3. PORTFOLIO_PREBUILT=path/to/portfolio.so ships that library instead of compiling one:
     make python puts the library the test suite ran against into the wheel.
  4. Everything works offline: only setuptools and wheel, no download.
"""
import glob
import os
import re
import shutil
import subprocess
import sys

from setuptools import Distribution, setup
from setuptools.command.build_py import build_py

try:
    from wheel.bdist_wheel import bdist_wheel
except ImportError:  # an sdist can be made without the wheel package
    bdist_wheel = None

HERE = os.path.dirname(os.path.abspath(__file__))
if sys.platform == "win32":
    SUFFIX, LINK = ".dll", ["-shared", "-static-libgcc"]
elif sys.platform == "darwin":
    SUFFIX, LINK = ".dylib", ["-fPIC", "-dynamiclib"]
else:
    SUFFIX, LINK = ".so", ["-fPIC", "-shared"]


def source_version():
    for header in glob.glob(os.path.join(HERE, "ext", "*", "*.h")):
        with open(header, encoding="utf-8") as f:
            found = re.search(r'#define\s+PORTFOLIO_VERSION\s+"([^"]+)"', f.read())
        if found:
            return found.group(1)
    sys.exit("setup.py: no #define PORTFOLIO_VERSION in ext/*/*.h (run make python)")


class BuildWithLibrary(build_py):
    """The Python files, _version.py and the extension library into the build folder."""

    def run(self):
        super().run()
        package = os.path.join(self.build_lib, "sqlite_portfolio")
        os.makedirs(package, exist_ok=True)
        with open(os.path.join(package, "_version.py"), "w", encoding="utf-8") as f:
            f.write(f'version = "{source_version()}"\n')
        target = os.path.join(package, "portfolio" + SUFFIX)
        prebuilt = os.environ.get("PORTFOLIO_PREBUILT")
        if prebuilt:
            shutil.copyfile(prebuilt, target)
            return
        folders = [os.path.join(HERE, "ext", d) for d in ("core", "sqlite")]
        sources = sorted(s for d in folders for s in glob.glob(os.path.join(d, "*.c")))
        command = (os.environ.get("CC", "cc").split() + ["-O2"] + LINK
                   + [f"-I{d}" for d in folders] + ["-o", target] + sources + ["-lm"])
        print(" ".join(command))
        subprocess.check_call(command)


class PlatformDistribution(Distribution):
    """The library makes the package platform-specific, like an extension module would."""

    def has_ext_modules(self):
        return True


commands = {"build_py": BuildWithLibrary}
if bdist_wheel is not None:
    class PlatformWheel(bdist_wheel):
        def get_tag(self):
            return ("py3", "none", super().get_tag()[2])

    commands["bdist_wheel"] = PlatformWheel

with open(os.path.join(HERE, "README.md"), encoding="utf-8") as f:
    long_description = f.read()

setup(
    name="sqlite-portfolio",
    version=source_version(),
    description="Customer-portfolio measures (HHI, top-n share, Gini, risk, phases) for SQLite",
    long_description=long_description,
    long_description_content_type="text/markdown",
    license="MIT",
    author="portfolio authors",
    python_requires=">=3.8",
    packages=["sqlite_portfolio"],
    cmdclass=commands,
    distclass=PlatformDistribution,
    zip_safe=False,
)
