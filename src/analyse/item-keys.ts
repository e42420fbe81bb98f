/**
 * @module
 * Key parts: how one stored column value (a service key, a packed country,
 * a sensor id, a source port class) becomes the text of an item key
 * (`445/TCP`, `CN`, `tokyo-1`, `eph/TCP`), goes back from that text to the
 * value, and fills an item's label. Item keys join their parts with a space,
 * which no part contains.
 */

import {
  COUNTRY_NONE,
  countryNameOf,
  formatServiceKey,
  packCountry,
  parseServiceKey,
  SERVICE_NONE,
  unpackCountry,
} from '../classify/index.js';
import { IpProto } from '../decode/index.js';
import { ephemeralSportClass, formatSportClass, type Sensor } from '../store/index.js';
import { StatsInputError } from './errors.js';
import type { ItemLabel } from './types.js';

/** Key text of "no value": a packet without a service, a source never looked up. */
export const NONE_PART = '--';
/** Joins the parts of a composite key. */
export const KEY_SEPARATOR = ' ';
const COUNTRY_PATTERN = /^[A-Za-z]{2}$/;

/** Sensors by id and by name, for the `sensor_id` column. */
export interface KeyContext {
  readonly sensorsById: ReadonlyMap<number, Sensor>;
  readonly sensorsByName: ReadonlyMap<string, Sensor>;
}

export function keyContext(sensors: readonly Sensor[]): KeyContext {
  return {
    sensorsById: new Map(sensors.map((s) => [s.id, s])),
    sensorsByName: new Map(sensors.map((s) => [s.name, s])),
  };
}

/** One key column: its text, the inverse, and what it tells a label. */
export interface KeyPart {
  text(value: number, ctx: KeyContext): string;
  /** The stored value of `text`; throws `StatsInputError` naming `field`. */
  parse(text: string, ctx: KeyContext, field: string): number;
  label(value: number, ctx: KeyContext, label: ItemLabel): void;
}

/** Entries a text cache holds before it starts over (a long-running server sees many keys). */
const TEXT_CACHE_LIMIT = 100_000;

/** `format` with its answers remembered: a large table names the same few thousand values over and over. */
function cached(format: (value: number) => string): (value: number) => string {
  const cache = new Map<number, string>();
  return (value) => {
    let text = cache.get(value);
    if (text === undefined) {
      if (cache.size >= TEXT_CACHE_LIMIT) cache.clear();
      text = format(value);
      cache.set(value, text);
    }
    return text;
  };
}

const serviceText = cached((value) => (value === SERVICE_NONE ? NONE_PART : formatServiceKey(value)));
const sportClassText = cached((value) => (value === SERVICE_NONE ? NONE_PART : formatSportClass(value)));

function parseService(text: string, field: string): number {
  if (text === NONE_PART) return SERVICE_NONE;
  try {
    return parseServiceKey(text);
  } catch (cause) {
    throw new StatsInputError(field, text, `is not a service like 445/TCP or 8/ICMP: ${(cause as Error).message}`, {
      cause,
    });
  }
}

/** `CN`, `ZZ` (unknown), or `--` (no lookup made). */
export const countryText = cached((value) => (value === COUNTRY_NONE ? NONE_PART : unpackCountry(value)));

/** Inverse of `countryText`, any case. */
export function parseCountry(text: string, field: string): number {
  if (text === NONE_PART) return COUNTRY_NONE;
  if (!COUNTRY_PATTERN.test(text)) {
    throw new StatsInputError(
      field,
      text,
      `is not a two-letter country code (ZZ = unknown, ${NONE_PART} = not looked up)`,
    );
  }
  return packCountry(text);
}

const SERVICE: KeyPart = {
  text: serviceText,
  parse: (text, _ctx, field) => parseService(text, field),
  label: (value, _ctx, label) => {
    label.service = serviceText(value);
  },
};

/** Names by packed code: `Intl.DisplayNames` is too slow to ask once per item of a large table. */
const COUNTRY_NAMES = new Map<number, readonly [string, string]>([[COUNTRY_NONE, ['未照会', 'Not looked up']]]);

function countryNames(value: number): readonly [string, string] {
  let names = COUNTRY_NAMES.get(value);
  if (names === undefined) {
    names = [countryNameOf(value, 'ja'), countryNameOf(value, 'en')];
    COUNTRY_NAMES.set(value, names);
  }
  return names;
}

const COUNTRY: KeyPart = {
  text: countryText,
  parse: (text, _ctx, field) => parseCountry(text, field),
  label: (value, _ctx, label) => {
    label.country = countryText(value);
    [label.countryJa, label.countryEn] = countryNames(value);
  },
};

const SENSOR: KeyPart = {
  // A row of a sensor removed meanwhile keeps its id as its name.
  text: (value, ctx) => ctx.sensorsById.get(value)?.name ?? `#${value}`,
  parse: (text, ctx, field) => {
    const sensor = ctx.sensorsByName.get(text);
    if (sensor === undefined) throw new StatsInputError(field, text, 'is not a registered sensor');
    return sensor.id;
  },
  label: (value, ctx, label) => {
    const sensor = ctx.sensorsById.get(value);
    label.sensor = sensor?.name ?? `#${value}`;
    label.sensorLabel = sensor?.label ?? '';
  },
};

const SPORT_CLASS: KeyPart = {
  text: sportClassText,
  parse: (text, _ctx, field) => {
    const eph = /^eph\/(TCP|UDP)$/i.exec(text);
    if (eph === null) return parseService(text, field);
    return ephemeralSportClass(eph[1]!.toUpperCase() === 'TCP' ? IpProto.TCP : IpProto.UDP);
  },
  label: (value, _ctx, label) => {
    label.sourcePort = sportClassText(value);
  },
};

const SOURCE_SERVICE: KeyPart = {
  text: serviceText,
  parse: (text, _ctx, field) => parseService(text, field),
  label: (value, _ctx, label) => {
    label.sourcePort = serviceText(value);
  },
};

/** Key parts by the column they read. */
export const KEY_PARTS = {
  service: SERVICE,
  country: COUNTRY,
  sensor_id: SENSOR,
  sport_class: SPORT_CLASS,
  src_service: SOURCE_SERVICE,
} as const satisfies Record<string, KeyPart>;

export type KeyColumn = keyof typeof KEY_PARTS;

export function emptyLabel(): ItemLabel {
  return {
    service: null,
    country: null,
    countryJa: null,
    countryEn: null,
    sensor: null,
    sensorLabel: null,
    sourcePort: null,
  };
}

/** The key text of one row's values for `columns`. */
export function keyOf(columns: readonly KeyColumn[], values: readonly number[], ctx: KeyContext): string {
  if (columns.length === 0) return '';
  let key = KEY_PARTS[columns[0]!].text(values[0]!, ctx);
  for (let i = 1; i < columns.length; i++) key += KEY_SEPARATOR + KEY_PARTS[columns[i]!].text(values[i]!, ctx);
  return key;
}

export function labelOf(columns: readonly KeyColumn[], values: readonly number[], ctx: KeyContext): ItemLabel {
  const label = emptyLabel();
  columns.forEach((c, i) => KEY_PARTS[c].label(values[i]!, ctx, label));
  return label;
}

/** Column values of an item key; throws `StatsInputError` naming `field` on a key of the wrong shape. */
export function parseKey(columns: readonly KeyColumn[], text: string, ctx: KeyContext, field: string): number[] {
  const parts = text.trim().split(/\s+/);
  if (parts.length !== columns.length) {
    throw new StatsInputError(
      field,
      text,
      `has ${parts.length} part(s); expected ${columns.length} (${columns.join(', ')})`,
    );
  }
  return columns.map((c, i) => KEY_PARTS[c].parse(parts[i]!, ctx, field));
}
