/**
 * @module
 * The scenario file format (JSON or YAML) as a zod schema. Validation here is
 * about shape; `compile-scenario.ts` then checks what needs context (known
 * countries, sensor names, services that fit the family, times in the
 * period) and reports problems with the same field paths.
 *
 * Times: a date (`2010-06-01`) is local midnight in the scenario's zone, and a
 * date used as an `end` means the end of that day (inclusive). A time
 * (`2010-05-13T10:00`) is local wall-clock time unless it carries `Z` or an
 * offset (`+09:00`); an `end` time is exclusive.
 *
 * Rates are packets per day per sensor address at scale 1 (`ratePerHour` for
 * backscatter), before trend, shape, weekly and diurnal factors, and jitter.
 */

import { z } from 'zod';
import { FAMILY_NAMES, OS_PROFILES, SCANNER_TOOL_NAMES } from './families.js';

const MAX_PORT = 65535;
const HOURS_PER_DAY = 24;
const DAYS_PER_WEEK = 7;

const name = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'must be 1..64 characters of a-z, 0-9, ".", "_" and "-"');
/** The store's sensor name rule (`teiten sensors add`). */
const sensorName = z
  .string()
  .regex(/^[a-z0-9_-]{1,64}$/, 'must be 1..64 characters of a-z, 0-9, "_" and "-" (a sensor name teiten can store)');
/** A date, or a time with optional seconds and zone. */
export const TIME_PATTERN = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:\d{2})?)?$/;
const time = z
  .string()
  .regex(TIME_PATTERN, 'must be a date (2010-06-01) or a time (2010-06-01T09:30, optionally ending in Z or +09:00)');
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2010-06-01');
const port = z.number().int().min(0).max(MAX_PORT);
const portRange = z
  .strictObject({ from: port, to: port })
  .refine((r) => r.from <= r.to, { message: 'from must not be above to' });
const portPool = z
  .strictObject({
    from: port,
    to: port,
    perAddress: z.number().int().min(1).optional(),
    pool: z.number().int().min(1).optional(),
  })
  .refine((r) => r.from <= r.to, { message: 'from must not be above to' })
  .refine((r) => r.perAddress === undefined || r.pool === undefined, { message: 'give perAddress or pool, not both' });
const weights = z.record(
  z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 code in capitals, like JP'),
  z.number().positive(),
);
const serviceText = z.string().min(1);
const services = z.union([serviceText, z.array(serviceText).min(1), z.record(serviceText, z.number().positive())]);
const sensorNames = z.array(sensorName).min(1);

export const DIURNAL_PRESETS = ['flat', 'office', 'evening', 'night'] as const;
export const WEEKLY_PRESETS = ['flat', 'weekdays', 'weekends'] as const;
export const EVENT_SHAPES = ['step', 'ramp-up', 'ramp-down', 'triangle', 'decay'] as const;

const diurnal = z.union([z.enum(DIURNAL_PRESETS), z.array(z.number().nonnegative()).length(HOURS_PER_DAY)]);
const weekly = z.union([z.enum(WEEKLY_PRESETS), z.array(z.number().nonnegative()).length(DAYS_PER_WEEK)]);
const trend = z.array(z.strictObject({ at: time, factor: z.number().nonnegative() })).min(1);
const burst = z.union([
  z.number().int().min(1),
  z
    .strictObject({ mean: z.number().min(1), max: z.number().int().min(1) })
    .refine((b) => b.mean <= b.max, { message: 'mean must not be above max' }),
]);

/** Fields every traffic stream shares: volume, timing and where it goes. */
const timing = {
  diurnal: diurnal.optional(),
  weekly: weekly.optional(),
  trend: trend.optional(),
  /** Day-to-day variation: standard deviation of the log of a day's factor (default 0.12). */
  jitter: z.number().min(0).max(2).optional(),
  /** Fixed per-sensor variation, as `jitter` but drawn once per sensor (default 0.2). */
  sensorSpread: z.number().min(0).max(2).optional(),
  /** Only these sensors receive the stream. */
  sensors: sensorNames.optional(),
  start: time.optional(),
  end: time.optional(),
  shape: z.enum(EVENT_SHAPES).optional(),
};

const streamFields = {
  name,
  description: z.string().optional(),
  family: z.enum(FAMILY_NAMES),
  services: services.optional(),
  /** true: every visit sends its burst to each service; false: one service per visit, by weight. */
  together: z.boolean().optional(),
  /**
   * Random destination ports (families without fixed services). `perAddress`
   * fixes N ports per sensor address (a former peer's ports); `pool` limits
   * the whole stream to N ports drawn once (a tool cycling a few ports).
   */
  destinationPorts: portPool.optional(),
  sourcePort: z.union([port, portRange]).optional(),
  rate: z.number().nonnegative(),
  countries: weights,
  /** Distinct sources at scale 1; pools above 64 grow and shrink with --scale. */
  sources: z.number().int().min(1),
  burst: burst.optional(),
  /** 0 picks sources uniformly; larger values make a few sources send most visits. */
  skew: z.number().min(0).max(8).optional(),
  os: z.enum(OS_PROFILES).optional(),
  /** dns-any: the name asked for (default "."). */
  qname: z.string().max(253).optional(),
  /** udp-probe: payload as hex. */
  payloadHex: z
    .string()
    .regex(/^([0-9a-fA-F]{2})*$/, 'must be an even number of hex digits')
    .max(2800)
    .optional(),
  /** time-exceeded: the spoofed packet the router quotes. */
  quote: z
    .strictObject({
      service: serviceText,
      /** Quoted destinations: the sources of another stream (e.g. the reflectors)… */
      victimsFrom: name.optional(),
      /** …or this many addresses drawn from `countries`. */
      victims: z.number().int().min(1).optional(),
      countries: weights.optional(),
    })
    .optional(),
  ...timing,
};

export const populationSchema = z.strictObject(streamFields);
export const eventSchema = z.strictObject({ ...streamFields, start: time, end: time });

export const scannerSchema = z.strictObject({
  name,
  description: z.string().optional(),
  tool: z.enum(SCANNER_TOOL_NAMES),
  services: services.optional(),
  rate: z.number().nonnegative(),
  countries: weights,
  sources: z.number().int().min(1),
  ...timing,
});

export const backscatterSchema = z.strictObject({
  name,
  description: z.string().optional(),
  protocol: z.enum(['tcp', 'icmp']),
  /** Number of victim hosts, drawn from `countries` (or exactly `addresses`). */
  victims: z.number().int().min(1).optional(),
  countries: weights,
  /** TCP: victim service ports; victim i answers from `victimPorts[i % n]`. */
  victimPorts: z.array(port).min(1).optional(),
  responses: z
    .strictObject({ 'syn-ack': z.number().nonnegative().optional(), 'rst-ack': z.number().nonnegative().optional() })
    .optional(),
  /** Destination ports seen at the sensor: the source ports the attacker forged. */
  spoofedPorts: portPool.optional(),
  ratePerHour: z.number().nonnegative(),
  start: time,
  end: time,
  /** Intermittent attack: this many episodes of minHours..maxHours inside start..end. */
  episodes: z
    .strictObject({ count: z.number().int().min(1), minHours: z.number().positive(), maxHours: z.number().positive() })
    .refine((e) => e.minHours <= e.maxHours, { message: 'minHours must not be above maxHours' })
    .optional(),
  burst: burst.optional(),
  jitter: timing.jitter,
  sensors: timing.sensors,
});

const interval = z.strictObject({ from: time, to: time, note: z.string().optional() });
const sensorSchema = z.strictObject({
  name: sensorName,
  label: z.string().optional(),
  addresses: z.union([z.string(), z.array(z.string()).min(1)]),
  downtime: z.array(interval).optional(),
});
const sensorSetSchema = z.strictObject({
  count: z.number().int().min(1).max(256),
  /** Names are `<prefix>-01`, `<prefix>-02`, … */
  prefix: sensorName.optional(),
  /** A CIDR block the sensors take consecutive addresses from. */
  addresses: z.string(),
  perSensor: z.number().int().min(1).max(4096).optional(),
});

export const scenarioSchema = z.strictObject({
  name,
  description: z.string().optional(),
  period: z.strictObject({ start: date, end: date, timeZone: z.string().min(1).optional() }),
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  capture: z
    .strictObject({ format: z.enum(['pcap', 'pcapng']).optional(), link: z.enum(['ethernet', 'raw']).optional() })
    .optional(),
  sensors: z.union([z.array(sensorSchema).min(1), sensorSetSchema]),
  /** Downtime by sensor name (either sensor form). */
  downtime: z.array(interval.extend({ sensor: sensorName })).optional(),
  /** A share of visits that go to nearby addresses no sensor monitors (teiten must exclude them). */
  otherHosts: z
    .strictObject({ share: z.number().min(0).max(0.5), addresses: z.union([z.string(), z.array(z.string()).min(1)]) })
    .optional(),
  populations: z.array(populationSchema).optional(),
  events: z.array(eventSchema).optional(),
  scanners: z.array(scannerSchema).optional(),
  backscatter: z.array(backscatterSchema).optional(),
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type PopulationSpec = z.infer<typeof populationSchema>;
export type ScannerSpec = z.infer<typeof scannerSchema>;
export type BackscatterSpec = z.infer<typeof backscatterSchema>;
export type IntervalSpec = z.infer<typeof interval>;
export type DiurnalSpec = z.infer<typeof diurnal>;
export type WeeklySpec = z.infer<typeof weekly>;
export type TrendSpec = z.infer<typeof trend>;
export type BurstSpec = z.infer<typeof burst>;
export type EventShape = (typeof EVENT_SHAPES)[number];
