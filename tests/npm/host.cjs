'use strict';
// The CommonJS entry: require('sqlite-portfolio').
const Database = require('better-sqlite3');
const { load } = require('sqlite-portfolio');
require('./run_queries.cjs')(Database, load, process.argv[2], process.argv[3]);
