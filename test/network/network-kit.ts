/**
 * @module
 * Test kit for the observation network as separate processes: a real
 * collector (`teiten collector serve`) on loopback HTTPS, sensors enrolled
 * with `teiten sensors enroll`, agents run with `teiten sensor run`, and the
 * figures read back from the DuckDB stores. Nothing is simulated: every
 * process is the built CLI.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli, startCli, type RunningCli } from '../cli/run-cli.js';
import { sourceRows, trafficRows } from '../../src/ingest/testdata/captures.js';
import { openStore } from '../../src/store/index.js';

export const CAPTURES = resolve(import.meta.dirname, '../../../shared/captures');
export const capturesPresent = existsSync(CAPTURES);
/** Sensors may not overlap: the first gets the StopDDoS captures' anonymised target, the others documentation blocks. */
const CIDRS = ['10.10.10.0/24', '192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24', '10.99.0.0/16'];
export function cidrOf(index: number): string {
  return CIDRS[index % CIDRS.length]!;
}

export function workDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface CollectorProcess {
  cli: RunningCli;
  url: string;
  fingerprint: string;
  port: number;
}

/** Starts `teiten collector serve` and waits for its URL and fingerprint. */
export async function startCollector(
  dir: string,
  options: { port?: number; host?: string; extra?: string[] } = {},
): Promise<CollectorProcess> {
  const cli = startCli([
    'collector',
    'serve',
    '--db',
    join(dir, 'collector.duckdb'),
    '--listen',
    `${options.host ?? '127.0.0.1'}:${options.port ?? 0}`,
    '--data-dir',
    join(dir, 'collector-data'),
    ...(options.extra ?? []),
  ]);
  await cli.printed('SHA-256 fingerprint ');
  const out = cli.output().stdout;
  const url = /listening on (https:\/\/\S+)/.exec(out)?.[1];
  const fingerprint = /SHA-256 fingerprint (\S+)/.exec(out)?.[1];
  if (url === undefined || fingerprint === undefined) throw new Error(`collector printed no URL/fingerprint: ${out}`);
  return { cli, url, fingerprint, port: Number(new URL(url).port) };
}

export async function stopProcess(cli: RunningCli, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill(signal);
  await cli.result;
}

/** `teiten sensors enroll` against the collector's store; returns the credentials file. */
export async function enroll(dir: string, name: string, url: string, cidr = cidrOf(0)): Promise<string> {
  const cred = join(dir, `${name}.cred`);
  const result = await runCli([
    'sensors',
    'enroll',
    name,
    '--address',
    cidr,
    '--collector',
    url,
    '--out',
    cred,
    '--db',
    join(dir, 'collector.duckdb'),
    '--data-dir',
    join(dir, 'collector-data'),
    '--wait',
    '60',
  ]);
  if (result.code !== 0) throw new Error(`enroll ${name} failed: ${result.stderr}`);
  return cred;
}

export function startAgent(dir: string, name: string, args: string[]): RunningCli {
  return startCli([
    'sensor',
    'run',
    '--credentials',
    join(dir, `${name}.cred`),
    '--spool',
    join(dir, `spool-${name}`),
    ...args,
  ]);
}

/** `teiten ingest` of each file into a fresh store, one sensor per file with the same name and addresses (`cidrOf(i)` for the i-th). */
export async function ingestReference(dir: string, files: Record<string, string>): Promise<string> {
  const db = join(dir, 'reference.duckdb');
  for (const [index, [name, file]] of Object.entries(files).entries()) {
    const added = await runCli([
      'sensors',
      'add',
      name,
      '--from',
      '2000-01-01T00:00:00Z',
      '--address',
      cidrOf(index),
      '--db',
      db,
    ]);
    if (added.code !== 0) throw new Error(added.stderr);
    // As the collector does: stored as they are even where a capture's packets go to another sensor's addresses.
    const ingested = await runCli(['ingest', '--db', db, '--sensor', name, '--allow-empty', file]);
    if (ingested.code !== 0) throw new Error(ingested.stderr);
  }
  return db;
}

export interface SensorFigures {
  traffic: unknown[];
  sources: unknown[];
  /** Packets the store's ingests read for the sensor. */
  packets: number;
}

/** Per sensor name: the traffic and source rows and the packets ingested. */
export async function figures(db: string, names: readonly string[]): Promise<Record<string, SensorFigures>> {
  const store = await openStore(db);
  try {
    const out: Record<string, SensorFigures> = {};
    for (const name of names) {
      const sensor = await store.findSensor(name);
      if (sensor === undefined) throw new Error(`no sensor ${name} in ${db}`);
      const ingests = await store.listIngests(sensor.id);
      out[name] = {
        traffic: await trafficRows(store, sensor.id),
        sources: await sourceRows(store, sensor.id),
        packets: ingests.reduce((n, i) => n + i.packetsRead, 0),
      };
    }
    return out;
  } finally {
    await store.close();
  }
}

/** The collector's segment rows of a sensor: count, distinct sequences, packets. */
export async function segmentRows(
  db: string,
  name: string,
): Promise<{ rows: number; sequences: number; maxSequence: number; packets: number; empty: number }> {
  const store = await openStore(db);
  try {
    const sensor = await store.findSensor(name);
    const [row] = await store.query<{
      rows: number;
      sequences: number;
      max_seq: number;
      packets: number;
      empty: number;
    }>({
      sql: `SELECT COUNT(*) AS rows, COUNT(DISTINCT sequence) AS sequences, MAX(sequence) AS max_seq, SUM(packets) AS packets,
        SUM(CASE WHEN packets = 0 THEN 1 ELSE 0 END) AS empty FROM collector_segments WHERE sensor_id = ?`,
      params: [sensor?.id ?? -1],
    });
    return {
      rows: Number(row?.rows ?? 0),
      sequences: Number(row?.sequences ?? 0),
      maxSequence: Number(row?.max_seq ?? -1),
      packets: Number(row?.packets ?? 0),
      empty: Number(row?.empty ?? 0),
    };
  } finally {
    await store.close();
  }
}
