import { describe, expect, test } from 'vitest';
import { TABLES } from '../schema.js';
import { clusterDdl, clusterSchemaNames } from './cluster-ddl.js';
import { parseClickHouseUrl } from './driver.js';

const OPTIONS = { cluster: 'obs', database: 'teiten', replicated: true };

describe('clusterDdl()', () => {
  test('clusterDdl() creates every table as a replicated _local table behind a Distributed one, ON CLUSTER', () => {
    const ddl = clusterDdl(OPTIONS);
    for (const table of TABLES) {
      const local = ddl.find((s) =>
        s.startsWith(`CREATE TABLE IF NOT EXISTS teiten.${table.name}_local ON CLUSTER obs (`),
      );
      expect(local, table.name).toContain(
        `ReplicatedMergeTree('/clickhouse/tables/{shard}/teiten/${table.name}_local', '{replica}')`,
      );
      expect(local).toContain('replicated_deduplication_window = 0');
      const distributed = ddl.find((s) =>
        s.startsWith(`CREATE TABLE IF NOT EXISTS teiten.${table.name} ON CLUSTER obs AS`),
      );
      expect(distributed, table.name).toMatch(
        new RegExp(`ENGINE = Distributed\\(obs, teiten, ${table.name}_local, .+\\)$`),
      );
    }
  });

  test('clusterDdl() shards the source sets by source key and raw packets by source address', () => {
    const ddl = clusterDdl(OPTIONS);
    expect(ddl).toContain(
      'CREATE TABLE IF NOT EXISTS teiten.source_list_day_rows ON CLUSTER obs AS teiten.source_list_day_rows_local ENGINE = Distributed(obs, teiten, source_list_day_rows_local, src)',
    );
    expect(ddl.find((s) => s.includes('Distributed(obs, teiten, packet_rows_local'))).toMatch(/cityHash64\(src\)\)$/);
  });

  test('clusterDdl() writes views over the Distributed tables with names qualified and the committed filter GLOBAL', () => {
    const views = clusterDdl(OPTIONS).filter((s) => s.startsWith('CREATE VIEW'));
    expect(views).toHaveLength(TABLES.filter((t) => t.view !== undefined).length);
    for (const view of views) {
      expect(view).toMatch(
        /^CREATE VIEW IF NOT EXISTS teiten\.\w+ ON CLUSTER obs AS SELECT .* FROM teiten\.\w+_rows\b/s,
      );
      expect(view).toMatch(/ingest_id GLOBAL IN \(SELECT id FROM teiten\.ingests\)$/);
    }
    expect(views.find((v) => v.includes('teiten.source_day '))).toContain('ARRAY JOIN services AS service, packets');
  });

  test('clusterDdl() without ZooKeeper makes plain MergeTree _local tables', () => {
    const ddl = clusterDdl({ ...OPTIONS, replicated: false });
    expect(ddl.filter((s) => s.includes('Replicated'))).toEqual([]);
    expect(
      ddl.filter((s) => s.includes('_local ON CLUSTER') && s.includes('ENGINE = MergeTree() ORDER BY')),
    ).toHaveLength(TABLES.length);
  });

  test('clusterSchemaNames() lists each table, its _local table and its view', () => {
    expect(clusterSchemaNames()).toEqual(
      expect.arrayContaining(['ingests', 'ingests_local', 'packet_rows', 'packet_rows_local', 'packets']),
    );
    expect(clusterSchemaNames()).toHaveLength(TABLES.length * 2 + TABLES.filter((t) => t.view !== undefined).length);
  });
});

describe('parseClickHouseUrl() with a cluster', () => {
  test('parseClickHouseUrl() reads ?cluster=NAME', () => {
    expect(parseClickHouseUrl('clickhouse://127.0.0.1:19110/teiten?cluster=teiten_local')).toEqual({
      url: 'http://127.0.0.1:19110',
      database: 'teiten',
      username: 'default',
      password: '',
      cluster: 'teiten_local',
    });
  });

  test('parseClickHouseUrl() refuses an unsafe cluster name and unknown parameters', () => {
    expect(() => parseClickHouseUrl('clickhouse://h/x?cluster=a;DROP')).toThrow(/cluster name "a;DROP"/);
    expect(() => parseClickHouseUrl('clickhouse://h/x?shards=2')).toThrow(/unknown URL parameter shards/);
  });
});
