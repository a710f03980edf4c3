'use strict';
// Runs tests/host_queries.py's set-up and queries (files given on the command line) in a
// better-sqlite3 database through the load() it is handed, printing one JSON line per query:
// {"name", "rows"} or {"name", "error"}; host_queries.py check compares them.
const fs = require('node:fs');

module.exports = function runQueries(Database, load, setupFile, queriesFile) {
  const db = new Database(':memory:');
  load(db);
  db.exec(fs.readFileSync(setupFile, 'utf8').split('\n').filter(Boolean).join(';\n'));
  for (const line of fs.readFileSync(queriesFile, 'utf8').split('\n').filter(Boolean)) {
    const tab = line.indexOf('\t');
    const name = line.slice(0, tab);
    let answer;
    try {
      answer = { name, rows: db.prepare(line.slice(tab + 1)).raw(true).all() };
    } catch (error) {
      answer = { name, error: error.message };
    }
    process.stdout.write(JSON.stringify(answer) + '\n');
  }
  db.close();
};
