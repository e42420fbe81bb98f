/**
 * @module
 * The admin routes declared as data, as `API_ROUTES` are (the OpenAPI
 * document is written from them): add a sensor, enrol one (its credentials
 * come back in the answer, as `teiten sensors enroll` writes them to a
 * file), revoke its keys, record a downtime, generate a report into the
 * archive. Each calls what the CLI command calls: the store's sensor
 * registry, `enrollSensor`, `generateReport`; the store validates and its
 * errors become 400/404/409 answers naming the field.
 */

import { enrollSensor } from '../../collector/index.js';
import {
  type ComposableKind,
  generateReport,
  type Language,
  REPORT_FORMAT_NAMES,
  REPORT_KINDS,
  REPORT_LANGUAGES,
  type ReportFormat,
} from '../../report/index.js';
import {
  OPEN_END_SEC,
  SensorNotFoundError,
  type AnalyticsStore,
  type Sensor,
  type SensorInterval,
} from '../../store/index.js';
import { ParameterError } from '../errors.js';
import { archiveReport, reportFileName, REPORTS_PATH } from '../report-archive.js';
import { arr, bool, int, nullable, num, obj, str, strEnum, type JsonSchema } from '../schema-kit.js';
import type { ServeContext } from '../serve-context.js';

export interface AdminRouteContext {
  serve: ServeContext;
  params: Record<string, string>;
  body: Record<string, unknown>;
  nowMs: number;
}

export interface AdminRoute {
  path: string;
  summary: string;
  pathParams?: Record<string, { description: string; schema: JsonSchema }>;
  body: JsonSchema;
  /** 201 when the route creates something. */
  status: 200 | 201;
  response: JsonSchema;
  answer: (ctx: AdminRouteContext) => Promise<unknown>;
}

const TIME: JsonSchema = {
  anyOf: [{ type: 'integer' }, { type: 'string' }],
  description: 'epoch seconds or ISO 8601 with a zone (2010-06-01T00:00:00+09:00)',
};
const NAME = { name: { description: 'sensor name', schema: str } };

const intervalSchema = obj({ kind: str, from: str, to: nullable(str), note: str });
const sensorSchema = obj({ name: str, label: str, timeZone: str, addresses: arr(str), intervals: arr(intervalSchema) });

/** An object body: `required` names the properties that must be present, no others allowed. */
function body(properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema {
  return { type: 'object', properties, required, additionalProperties: false };
}

const iso = (sec: number): string | null =>
  sec >= OPEN_END_SEC ? null : new Date(sec * 1000).toISOString().replace('.000Z', 'Z');
const intervalJson = (i: SensorInterval): Record<string, unknown> => ({
  kind: i.kind,
  from: iso(i.fromSec),
  to: iso(i.toSec),
  note: i.note,
});
const sensorJson = (s: Sensor): Record<string, unknown> => ({
  name: s.name,
  label: s.label,
  timeZone: s.timeZone,
  addresses: s.addresses.map((a) => a.cidr),
  intervals: s.intervals.map(intervalJson),
});

async function sensorNamed(store: AnalyticsStore, name: string): Promise<Sensor> {
  const sensor = await store.findSensor(name);
  if (sensor === undefined) throw new SensorNotFoundError(name);
  return sensor;
}

const optional = <K extends string>(key: K, value: unknown): Partial<Record<K, string>> =>
  value === undefined ? {} : ({ [key]: value as string } as Record<K, string>);

export const ADMIN_ROUTES: readonly AdminRoute[] = [
  {
    path: '/api/admin/sensors',
    summary: 'Registers a sensor operating from `from` (as `teiten sensors add`)',
    body: body({ name: str, addresses: arr(str), label: str, timeZone: str, from: TIME }, [
      'name',
      'addresses',
      'from',
    ]),
    status: 201,
    response: obj({ sensor: sensorSchema }),
    answer: async ({ serve, body: b }) => ({
      sensor: sensorJson(
        await serve.store.addSensor({
          name: b['name'] as string,
          addresses: b['addresses'] as string[],
          ...optional('label', b['label']),
          ...optional('timeZone', b['timeZone']),
          operating: [{ from: b['from'] as string | number }],
        }),
      ),
    }),
  },
  {
    path: '/api/admin/sensors/:name/enroll',
    summary:
      "Enrols a sensor (registered first when new, with `addresses`), revoking its earlier keys; answers the credentials file's content, " +
      'as `teiten sensors enroll` writes it',
    pathParams: NAME,
    body: body({ addresses: arr(str), label: str, timeZone: str, collector: str, fingerprint: str }),
    status: 200,
    response: obj({
      sensor: sensorSchema,
      created: bool,
      revokedKeys: int,
      credentials: obj({ version: int, collector: str, fingerprint: str, sensor: str, secret: str }),
    }),
    answer: async ({ serve, params, body: b, nowMs }) => {
      const collector = (b['collector'] as string | undefined) ?? serve.enrolment.collector;
      const fingerprint = (b['fingerprint'] as string | undefined) ?? serve.enrolment.fingerprint;
      if (collector === undefined)
        throw new ParameterError(
          'collector',
          'no collector runs in this server (--collector): name its https://HOST:PORT',
        );
      if (fingerprint === undefined)
        throw new ParameterError(
          'fingerprint',
          'no collector certificate is known to this server: give its SHA-256 fingerprint',
        );
      const result = await enrollSensor(serve.store, {
        name: params['name'] ?? '',
        addresses: (b['addresses'] as string[] | undefined) ?? [],
        collector,
        fingerprint: fingerprint.toUpperCase(),
        nowMs,
        ...optional('label', b['label']),
        ...optional('timeZone', b['timeZone']),
      });
      return {
        sensor: sensorJson(result.sensor),
        created: result.created,
        revokedKeys: result.revoked,
        credentials: result.credentials,
      };
    },
  },
  {
    path: '/api/admin/sensors/:name/revoke',
    summary: 'Revokes every key of a sensor: its uploads are refused from now on (as `teiten sensors revoke`)',
    pathParams: NAME,
    body: body({}),
    status: 200,
    response: obj({ sensor: str, revokedKeys: int }),
    answer: async ({ serve, params, nowMs }) => {
      const sensor = await sensorNamed(serve.store, params['name'] ?? '');
      return { sensor: sensor.name, revokedKeys: await serve.store.network.revokeKeys(sensor.id, nowMs) };
    },
  },
  {
    path: '/api/admin/sensors/:name/downtime',
    summary:
      'Records a downtime of a sensor: the figures leave it out of the per-address divisors (as `teiten sensors down`)',
    pathParams: NAME,
    body: body({ from: TIME, to: TIME, note: str }, ['from', 'to']),
    status: 201,
    response: obj({ sensor: str, interval: intervalSchema }),
    answer: async ({ serve, params, body: b }) => {
      const sensor = await sensorNamed(serve.store, params['name'] ?? '');
      const interval = await serve.store.addDowntime(sensor.id, {
        from: b['from'] as string | number,
        to: b['to'] as string | number,
        ...optional('note', b['note']),
      });
      return { sensor: sensor.name, interval: intervalJson(interval) };
    },
  },
  {
    path: '/api/admin/reports',
    summary:
      'Generates the report of a period into the reports archive (as `teiten report --out`); listed by /api/reports',
    body: body(
      {
        period: { type: 'string', minLength: 1 },
        kind: strEnum(Object.keys(REPORT_KINDS)),
        lang: strEnum(REPORT_LANGUAGES),
        format: strEnum(REPORT_FORMAT_NAMES),
      },
      ['period'],
    ),
    status: 201,
    response: obj({ kind: str, name: str, format: str, bytes: num, url: str }),
    answer: async ({ serve, body: b }) => {
      if (serve.reportsDir === null)
        throw new ParameterError('period', 'this server keeps no reports archive (--reports-dir)');
      const period = await serve.periodOf(b['period'] as string);
      const lang = (b['lang'] as Language | undefined) ?? 'ja';
      const format = (b['format'] as ReportFormat | undefined) ?? 'html';
      const report = await generateReport(serve.store, period, {
        lang,
        format,
        database: serve.databaseName,
        ...(b['kind'] === undefined ? {} : { kind: b['kind'] as ComposableKind }),
      });
      const name = reportFileName({ kind: report.kind, period: period.label, lang, format });
      await archiveReport(serve.reportsDir, name, report.bytes);
      return { kind: report.kind, name, format, bytes: report.bytes.byteLength, url: `${REPORTS_PATH}/${name}` };
    },
  },
];
