'use strict';
// With the platform package gone, getLoadablePath() and load() must throw an Error naming the
// platform and the missing package; load() of something without loadExtension a TypeError.
const Database = require('better-sqlite3');
const portfolio = require('sqlite-portfolio');
const name = `sqlite-portfolio-${process.platform}-${process.arch}`;
let failures = 0;
function expectThrow(what, fn, type, words) {
  try {
    fn();
    console.log(`FAIL ${what}: nothing thrown`);
    failures++;
  } catch (error) {
    const missing = words.filter((w) => !error.message.includes(w));
    const ok = error instanceof type && missing.length === 0;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}: ${error.constructor.name}: ${error.message}`);
    failures += ok ? 0 : 1;
  }
}
const words = ['sqlite-portfolio', `${process.platform}-${process.arch}`, name, 'npm install'];
if (process.argv[2] === 'missing') {
  expectThrow('getLoadablePath() without the platform package', portfolio.getLoadablePath,
    Error, words);
  expectThrow('load(db) without the platform package', () => portfolio.load(new Database(':memory:')),
    Error, words);
}
expectThrow('load({})', () => portfolio.load({}), TypeError, ['loadExtension', 'object']);
expectThrow('load(null)', () => portfolio.load(null), TypeError, ['loadExtension', 'null']);
process.exit(failures ? 1 : 0);
