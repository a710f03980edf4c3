"""sqlite_portfolio: the portfolio SQLite extension, bundled for Python.

Rules:
  1. loadable_path() is the bundled library's path without its suffix: SQLite adds .so,
     .dylib or .dll itself, so the same string works in every host on every platform.
  2. load(conn) enables extension loading, loads the library and disables loading again,
     also when loading fails, so SQL run later on the connection cannot load libraries.
  3. A Python whose sqlite3 module was built without extension loading (no
     Connection.enable_load_extension) gets ExtensionLoadingUnavailable saying so and what to
     use instead, not an AttributeError.
"""
import os

from ._version import version as __version__

__all__ = ["load", "loadable_path", "ExtensionLoadingUnavailable", "__version__"]


class ExtensionLoadingUnavailable(RuntimeError):
    """This Python's sqlite3 module cannot load SQLite extensions."""


_NO_LOADING = (
    "sqlite_portfolio.load: this connection cannot load SQLite extensions: its sqlite3 module "
    "was built without extension loading (no Connection.enable_load_extension; pyenv and "
    "some macOS Pythons are built this way). Use a Python built with "
    "--enable-loadable-sqlite-extensions (e.g. Debian's /usr/bin/python3), or the apsw "
    "package, and pass it sqlite_portfolio.loadable_path()."
)


def loadable_path():
    """Path of the bundled extension library, without .so/.dylib/.dll."""
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "portfolio")


def load(conn):
    """Loads the extension into the sqlite3 connection conn."""
    if not hasattr(conn, "enable_load_extension") or not hasattr(conn, "load_extension"):
        raise ExtensionLoadingUnavailable(_NO_LOADING)
    conn.enable_load_extension(True)
    try:
        conn.load_extension(loadable_path())
    finally:
        conn.enable_load_extension(False)
