// The ES module entry: import { load } from 'sqlite-portfolio'.
import { createRequire } from 'node:module';
import Database from 'better-sqlite3';
import { load, getLoadablePath } from 'sqlite-portfolio';
import portfolio from 'sqlite-portfolio';

if (portfolio.load !== load || typeof getLoadablePath() !== 'string') {
  throw new Error('the ESM entry does not export the CommonJS entry\'s functions');
}
createRequire(import.meta.url)('./run_queries.cjs')(Database, load, process.argv[2], process.argv[3]);
