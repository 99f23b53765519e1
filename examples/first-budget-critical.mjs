// The turn of the first budget_critical across a sweep's runs, read from its Parquet file
// with DuckDB: node examples/first-budget-critical.mjs sweep.parquet
import { DuckDBInstance } from '@duckdb/node-api';

const file = (process.argv[2] ?? 'sweep.parquet').replaceAll("'", "''");
const db = await (await DuckDBInstance.create()).connect();
const quantiles = await db.runAndReadAll(`
  SELECT count(*) AS runs, count(first_budget_critical_turn) AS fired,
         quantile_cont(first_budget_critical_turn, [0.05, 0.5, 0.95]) AS p5_median_p95
  FROM read_parquet('${file}') WHERE status = 'ok'`);
console.table(quantiles.getRowObjectsJson());
const buckets = await db.runAndReadAll(`
  SELECT floor(first_budget_critical_turn / 25) * 25 AS from_turn, count(*) AS runs
  FROM read_parquet('${file}') WHERE first_budget_critical_turn IS NOT NULL
  GROUP BY 1 ORDER BY 1`);
console.table(buckets.getRowObjectsJson());
