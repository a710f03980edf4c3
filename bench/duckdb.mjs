// duckdb.mjs: the DuckDB side of `make bench`.
//
//   node bench/duckdb.mjs --reps N ROLE:KIND:CSV ...
//
// For 1 and then 2 threads: a fresh in-memory DuckDB loads each CSV export (timed: the load
// time), then runs the same computations as the pure-SQL queries of bench/bench_queries.c,
// N times each; the result is materialized inside DuckDB (connection.run), not converted to
// JavaScript, so only the query is timed. Prints tab-separated lines read by the C runner:
//   version <v>;  load <role> load <threads> <s> <s>;  result <role> <id> <threads> <min> <median>
// Exits 1 with a message when @duckdb/node-api is not installed.

let duckdb;
try {
  duckdb = await import('@duckdb/node-api');
} catch (e) {
  console.log(`@duckdb/node-api is not installed (${e.code || e.message})`);
  process.exit(1);
}

const POSITIVE_TOTALS = 'SELECT customer, sum(amount) AS t FROM invoices GROUP BY customer';

const QUERIES = {
  inv: {
    floor: 'SELECT sum(amount) FROM invoices',
    hhi_keyed: `SELECT 10000.0 * sum(t * t) / (sum(t) * sum(t))
      FROM (${POSITIVE_TOTALS}) WHERE t > 0`,
    top_keyed: `WITH g AS MATERIALIZED (${POSITIVE_TOTALS})
      SELECT (SELECT sum(t) FROM (SELECT t FROM g WHERE t > 0 ORDER BY t DESC LIMIT 10))
           / (SELECT sum(t) FROM g WHERE t > 0)`,
    month: `SELECT month, 10000.0 * sum(t * t) / (sum(t) * sum(t)) FROM
      (SELECT month, customer, sum(amount) AS t FROM invoices GROUP BY month, customer)
      WHERE t > 0 GROUP BY month`,
    // the revenue bridge: the pure-SQL form of bench_queries.c (MOVES_SQL)
    moves: `WITH pc AS (SELECT month AS period, customer, sum(amount) AS rev FROM invoices
        GROUP BY month, customer),
      ranked AS (SELECT period, row_number() OVER (ORDER BY period) AS r
        FROM (SELECT DISTINCT period FROM pc)),
      a AS (SELECT r, rev, lag(r) OVER w AS pr, lag(rev) OVER w AS prev_rev,
        lead(r) OVER w AS nr, min(r) OVER (PARTITION BY customer) AS first
        FROM pc JOIN ranked USING (period) WHERE rev > 0
        WINDOW w AS (PARTITION BY customer ORDER BY r)),
      moves AS (SELECT r, rev AS cur, CASE WHEN pr = r - 1 THEN prev_rev ELSE 0 END AS prev,
          first FROM a
        UNION ALL SELECT r + 1, 0, rev, first FROM a
          WHERE (nr IS NULL OR nr > r + 1) AND r < (SELECT max(r) FROM ranked))
      SELECT period, sum(prev), sum(CASE WHEN prev = 0 AND first = r THEN cur ELSE 0 END),
        sum(CASE WHEN prev = 0 AND first < r THEN cur ELSE 0 END),
        sum(CASE WHEN prev > 0 AND cur > prev THEN cur - prev ELSE 0 END),
        sum(CASE WHEN prev > 0 AND cur > 0 AND cur < prev THEN prev - cur ELSE 0 END),
        sum(CASE WHEN prev > 0 AND cur = 0 THEN prev ELSE 0 END), sum(cur)
      FROM moves JOIN ranked USING (r) GROUP BY period, r ORDER BY r`,
  },
  cust: {
    floor: 'SELECT sum(amount) FROM customers',
    hhi: `SELECT sum(s * s) FROM (SELECT 100.0 * amount /
      (SELECT sum(amount) FROM customers WHERE amount > 0) AS s FROM customers WHERE amount > 0)`,
    top: `SELECT (SELECT sum(amount) FROM (SELECT amount FROM customers WHERE amount > 0
      ORDER BY amount DESC LIMIT 10)) / (SELECT sum(amount) FROM customers WHERE amount > 0)`,
    gini: `SELECT sum((2.0 * rn - n - 1) * amount) / (max(n) * sum(amount)) FROM
      (SELECT amount, row_number() OVER (ORDER BY amount) AS rn, count(*) OVER () AS n
       FROM customers WHERE amount > 0)`,
    conc: `WITH t AS (SELECT customer, sum(amount) AS amount FROM customers GROUP BY customer
        HAVING sum(amount) > 0),
      tot AS (SELECT sum(amount) AS total, sum(amount * amount) AS sq, count(*) AS n FROM t),
      r AS (SELECT customer, amount, total, sq, n, amount / total AS share,
        row_number() OVER w AS rank,
        sum(amount) OVER (w ROWS UNBOUNDED PRECEDING) AS running
        FROM t, tot WINDOW w AS (ORDER BY amount DESC, customer))
      SELECT rank, customer, amount, share, running / total AS cumulative_share,
        CASE WHEN (running - amount) / total < 0.80 THEN 'A'
             WHEN (running - amount) / total < 0.95 THEN 'B' ELSE 'C' END AS pareto_class,
        share >= 0.10 AS major, (100.0 * share) * (100.0 * share) AS hhi_points,
        CASE WHEN n > 1 THEN 10000.0 * (sq - amount * amount) /
          ((total - amount) * (total - amount)) END AS hhi_without
      FROM r ORDER BY rank`,
  },
};

const COLUMNS = {
  inv: "{'id': 'BIGINT', 'customer': 'BIGINT', 'month': 'INTEGER', 'amount': 'DOUBLE'}",
  cust: "{'customer': 'BIGINT', 'amount': 'DOUBLE'}",
};
const TABLE = { inv: 'invoices', cust: 'customers' };

function parseArgs(argv) {
  const out = { reps: 5, sets: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--reps') out.reps = Number(argv[++i]);
    else {
      const [role, kind, ...path] = argv[i].split(':');
      out.sets.push({ role, kind, csv: path.join(':') });
    }
  }
  return out;
}

const sqlString = (s) => `'${s.replaceAll("'", "''")}'`;

async function timeIt(fn) {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

function stats(times) {
  const s = [...times].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return [s[0], s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2];
}

async function runSet(threads, set, reps) {
  const instance = await duckdb.DuckDBInstance.create(':memory:', { threads: String(threads) });
  const conn = await instance.connect();
  const table = TABLE[set.kind];
  const load = await timeIt(() =>
    conn.run(`CREATE TABLE ${table} AS SELECT * FROM read_csv(${sqlString(set.csv)},
      header = true, columns = ${COLUMNS[set.kind]})`));
  console.log(['result', set.role, 'load', threads, load, load].join('\t'));
  for (const [id, sql] of Object.entries(QUERIES[set.kind])) {
    const times = [];
    for (let r = 0; r < reps; r++) {
      times.push(await timeIt(async () => {
        const res = await conn.run(sql);
        if (res.rowCount < 1) throw new Error(`${id}: no rows`);
      }));
      if (times[0] > 4 && times.length >= 3) break;
    }
    const [min, median] = stats(times);
    console.log(['result', set.role, id, threads, min, median].join('\t'));
  }
  conn.closeSync?.();
}

const args = parseArgs(process.argv.slice(2));
{
  const instance = await duckdb.DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const v = await conn.runAndReadAll('SELECT version()');
  console.log(['version', v.getRows()[0][0]].join('\t'));
}
for (const threads of [1, 2]) {
  for (const set of args.sets) {
    if (!QUERIES[set.kind]) continue;
    await runSet(threads, set, args.reps);
  }
}
