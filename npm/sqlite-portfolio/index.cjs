'use strict';
// sqlite-portfolio: the portfolio SQLite extension for Node (better-sqlite3 or any driver
// whose database object has loadExtension(path)).
// Rules:
//   1. The library comes from the platform package sqlite-portfolio-<platform>-<arch>, an
//      optionalDependency npm installs only where its os/cpu match.
//   2. getLoadablePath() returns the library's full path, suffix included, or throws an Error
//      naming the platform, the package that is missing and what to do; it never returns a
//      path that does not exist.
//   3. load(db) is db.loadExtension(getLoadablePath()); a db without loadExtension is a
//      TypeError saying what was expected.
const fs = require('node:fs');
const path = require('node:path');

const SUFFIXES = { linux: 'so', darwin: 'dylib', win32: 'dll' };

function platformPackage() {
  return `sqlite-portfolio-${process.platform}-${process.arch}`;
}

function getLoadablePath() {
  const name = platformPackage();
  const here = `${process.platform}-${process.arch}`;
  let folder;
  try {
    folder = path.dirname(require.resolve(`${name}/package.json`));
  } catch (error) {
    throw new Error(
      `sqlite-portfolio: no library for this platform (${here}): the package ${name} is not ` +
        'installed. npm installs it with sqlite-portfolio unless optional dependencies are ' +
        `left out (--omit=optional, --no-optional): run "npm install ${name}". Where no such ` +
        'package exists, build the library from source (make) and call ' +
        'db.loadExtension("/path/to/portfolio").'
    );
  }
  const file = path.join(folder, `portfolio.${SUFFIXES[process.platform] || 'so'}`);
  if (!fs.existsSync(file)) {
    throw new Error(`sqlite-portfolio: ${name} is installed but has no library ${file}`);
  }
  return file;
}

function load(db) {
  if (!db || typeof db.loadExtension !== 'function') {
    throw new TypeError(
      'sqlite-portfolio: load(db) needs a database object with a loadExtension(path) method ' +
        `(e.g. new Database() of better-sqlite3), got ${db === null ? 'null' : typeof db}`
    );
  }
  db.loadExtension(getLoadablePath());
}

module.exports = { load, getLoadablePath };
