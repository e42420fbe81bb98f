/**
 * A schema migration on a ClickHouse cluster (`CLICKHOUSE_CLUSTER_URL`):
 * schema 6's scanner evidence, laid out as a cluster holds it (a
 * replicated `_local` table per node behind a Distributed table and a
 * view on every node), upgraded through one node to schema 7 (the piece
 * table) and on to today's (8: the view also reads the one-probe table).
 * Every node must then answer from the new tables with the figures of before, and no
 * node may keep the old view or tables: a view left behind on one node
 * would serve that node's clients the old rows without any later ingest.
 */

import { afterAll, describe, expect, it } from 'vitest';
import { layoutFromEnv } from '../../scripts/cluster/layout.js';
import { openStore, SCHEMA_VERSION } from '../../src/store/index.js';
import { figures, ingestScannerPieces } from '../../src/store/testdata/scanner-pieces.js';

// Unset or empty: the tests are skipped (as when `npm test` runs without `npm run cluster:up`).
const CLUSTER_URL = process.env['CLICKHOUSE_CLUSTER_URL'] || undefined;
if (CLUSTER_URL === undefined)
  console.log('cluster migration: skipped, CLICKHOUSE_CLUSTER_URL is not set (npm run cluster:up prints it)');

const OLD_COLUMNS = `ingest_id Int64, sensor_id Int32, window_start Int64, window_end Int64, src UInt32, country UInt16,
  asn UInt32, packets UInt64, first_sec Float64, last_sec Float64, zmap_packets UInt64, masscan_packets UInt64,
  mirai_packets UInt64, nmap_packets UInt64, addresses String, services String`;

describe.runIf(CLUSTER_URL !== undefined)('migrate() on a ClickHouse cluster', () => {
  const layout = layoutFromEnv();
  const database = `teiten_cluster_migrate_${process.pid}_${Date.now()}`;
  const on = `ON CLUSTER ${layout.name}`;

  /** Runs a statement through node `index` over HTTP and returns its text answer. */
  const onNode = async (index: number, sql: string): Promise<string> => {
    const response = await fetch(`http://127.0.0.1:${layout.nodes[index]!.httpPort}/?insert_distributed_sync=1`, {
      method: 'POST',
      body: sql,
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`node ${layout.nodes[index]!.name}: ${text}`);
    return text;
  };
  const storeUrl = (index: number): string => {
    const url = new URL(CLUSTER_URL!);
    url.pathname = `/${database}`;
    url.port = String(layout.nodes[index]!.httpPort);
    return url.toString();
  };

  afterAll(async () => {
    await onNode(0, `DROP DATABASE IF EXISTS ${database} ${on}`).catch(() => undefined);
  });

  it('moves the scanner evidence to the piece table on every node, figures unchanged through each', async () => {
    const { figures: before, schema6: old } = await ingestScannerPieces(storeUrl(0));
    // Schema 6 as a cluster held it, made through the first node on all of them.
    const local = `${database}.scanner_evidence_rows_local`;
    for (const sql of [
      `DROP TABLE ${database}.scanner_evidence ${on}`,
      `DROP TABLE ${database}.scanner_piece_rows ${on}`,
      `DROP TABLE ${database}.scanner_piece_rows_local ${on}`,
      `DROP TABLE ${database}.scanner_probe_rows ${on}`,
      `DROP TABLE ${database}.scanner_probe_rows_local ${on}`,
      `CREATE TABLE ${local} ${on} (${OLD_COLUMNS}) ENGINE = ReplicatedMergeTree(` +
        `'/clickhouse/tables/{shard}/${database}/scanner_evidence_rows_local', '{replica}') ORDER BY (window_start, src)`,
      `CREATE TABLE ${database}.scanner_evidence_rows ${on} AS ${local} ` +
        `ENGINE = Distributed(${layout.name}, ${database}, scanner_evidence_rows_local, rand())`,
      `CREATE VIEW ${database}.scanner_evidence ${on} AS SELECT * FROM ${database}.scanner_evidence_rows ` +
        `WHERE ingest_id GLOBAL IN (SELECT id FROM ${database}.ingests)`,
    ])
      await onNode(0, sql);
    await onNode(
      0,
      `INSERT INTO ${database}.scanner_evidence_rows FORMAT JSONEachRow\n${old.map((r) => JSON.stringify(r)).join('\n')}`,
    );
    const v6 = await openStore(storeUrl(0), { migrate: false });
    await v6.setMeta('schema_version', '6');
    await v6.close();

    const v7 = await openStore(storeUrl(0));
    try {
      expect(v7.settings.schemaVersion).toBe(SCHEMA_VERSION);
    } finally {
      await v7.close();
    }
    for (const [index, node] of layout.nodes.entries()) {
      const left = await onNode(
        index,
        `SELECT name FROM system.tables WHERE database = '${database}' AND name LIKE 'scanner_evidence_rows%'`,
      );
      expect(left.trim(), `old tables on ${node.name}`).toBe('');
      const view = await onNode(
        index,
        `SELECT create_table_query FROM system.tables WHERE database = '${database}' AND name = 'scanner_evidence'`,
      );
      expect(view, `the view on ${node.name}`).toContain('scanner_piece_rows');
      expect(view, `the view on ${node.name}`).toContain('scanner_probe_rows');
      const through = await openStore(storeUrl(index), { migrate: false });
      try {
        expect(await figures(through), `figures through ${node.name}`).toEqual(before);
      } finally {
        await through.close();
      }
    }
  }, 180_000);
});
