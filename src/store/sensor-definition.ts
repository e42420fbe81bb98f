/**
 * @module
 * Validation of sensor definitions and intervals at the edge (style rule 10):
 * untrusted input (CLI flags, a JSON file, an HTTP body) becomes typed values,
 * or a `SensorDefinitionError` whose `field` names what is wrong
 * (`name`, `addresses[2]`, `operating[0].to`).
 */

import { assertTimeZone } from '../util/tz.js';
import { blocksOverlap, parseAddressBlock } from './address-block.js';
import { SensorDefinitionError } from './errors.js';
import { OPEN_END_SEC } from './schema.js';
import type { IntervalInput, IntervalKind, SensorAddress, SensorInterval } from './store.js';

const NAME_PATTERN = /^[a-z0-9_-]+$/;
const MAX_NAME_LENGTH = 64;
const MAX_LABEL_LENGTH = 200;
const MAX_NOTE_LENGTH = 500;
const MAX_ADDRESSES = 4096;
/** An instant with an explicit zone; a zone-less time would be ambiguous. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const MS_PER_SECOND = 1000;

/** A definition after validation, ready to store. */
export interface ParsedSensorDefinition {
  name: string;
  label: string;
  timeZone: string;
  addresses: SensorAddress[];
  operating: SensorInterval[];
}

export interface ParseSensorOptions {
  /** Zone of a sensor that names none (the store's zone). */
  defaultTimeZone: string;
}

/** Validates `input` (any JSON-like value) as a `SensorDefinition`. */
export function parseSensorDefinition(input: unknown, options: ParseSensorOptions): ParsedSensorDefinition {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new SensorDefinitionError('(definition)', 'must be an object with name and addresses');
  }
  const raw = input as Record<string, unknown>;
  const name = raw['name'];
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME_LENGTH || !NAME_PATTERN.test(name)) {
    throw new SensorDefinitionError(
      'name',
      `must be 1..${MAX_NAME_LENGTH} characters of a-z, 0-9, _ and -, got ${JSON.stringify(name)}`,
    );
  }
  const label = optionalString(raw['label'], 'label', MAX_LABEL_LENGTH) ?? '';
  const timeZone = optionalString(raw['timeZone'], 'timeZone', MAX_LABEL_LENGTH) ?? options.defaultTimeZone;
  try {
    assertTimeZone(timeZone);
  } catch {
    throw new SensorDefinitionError('timeZone', `must be an IANA time zone name, got ${JSON.stringify(timeZone)}`);
  }
  return {
    name,
    label,
    timeZone,
    addresses: parseAddresses(raw['addresses']),
    operating: parseOperating(raw['operating']),
  };
}

function parseAddresses(value: unknown): SensorAddress[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new SensorDefinitionError('addresses', 'must be a non-empty list of IP addresses or CIDR blocks');
  }
  if (value.length > MAX_ADDRESSES) {
    throw new SensorDefinitionError('addresses', `lists ${value.length} entries, more than ${MAX_ADDRESSES}`);
  }
  const blocks: SensorAddress[] = [];
  value.forEach((entry: unknown, i) => {
    const field = `addresses[${i}]`;
    if (typeof entry !== 'string')
      throw new SensorDefinitionError(field, `must be a string, got ${JSON.stringify(entry)}`);
    let block: SensorAddress;
    try {
      block = parseAddressBlock(entry);
    } catch (cause) {
      throw new SensorDefinitionError(field, cause instanceof Error ? cause.message : String(cause));
    }
    const clash = blocks.findIndex((other) => blocksOverlap(other, block));
    if (clash >= 0)
      throw new SensorDefinitionError(field, `${block.cidr} overlaps addresses[${clash}] ${blocks[clash]!.cidr}`);
    blocks.push(block);
  });
  return blocks;
}

function parseOperating(value: unknown): SensorInterval[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new SensorDefinitionError('operating', 'must be a list of {from, to} intervals');
  return value.map((entry: unknown, i) => parseInterval(entry, { kind: 'operating', field: `operating[${i}]` }));
}

export interface ParseIntervalOptions {
  kind: IntervalKind;
  /** Field path for messages, e.g. `operating[0]` or `downtime`. */
  field: string;
}

/** Validates one `IntervalInput`; an omitted or null `to` is open-ended (`OPEN_END_SEC`). */
export function parseInterval(input: unknown, options: ParseIntervalOptions): SensorInterval {
  const { kind, field } = options;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new SensorDefinitionError(field, 'must be an object with from and to');
  }
  const raw = input as Partial<Record<keyof IntervalInput, unknown>>;
  const fromSec = instant(raw.from, `${field}.from`);
  const toSec = raw.to === undefined || raw.to === null ? OPEN_END_SEC : instant(raw.to, `${field}.to`);
  if (toSec <= fromSec) throw new SensorDefinitionError(`${field}.to`, `must be after from (${fromSec}), got ${toSec}`);
  const note = optionalString(raw.note, `${field}.note`, MAX_NOTE_LENGTH) ?? '';
  return { kind, fromSec, toSec, note };
}

/** Epoch seconds from a number or an ISO 8601 instant with a zone; fractions are dropped. */
function instant(value: unknown, field: string): number {
  let seconds: number;
  if (typeof value === 'number') {
    seconds = value;
  } else if (typeof value === 'string' && ISO_INSTANT.test(value.trim())) {
    seconds = Date.parse(value.trim()) / MS_PER_SECOND;
  } else {
    throw new SensorDefinitionError(
      field,
      `must be epoch seconds or an ISO 8601 time with a zone (2010-04-01T00:00+09:00), got ${JSON.stringify(value)}`,
    );
  }
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > OPEN_END_SEC) {
    throw new SensorDefinitionError(field, `must be a time between 1970 and 9999, got ${JSON.stringify(value)}`);
  }
  return Math.floor(seconds);
}

function optionalString(value: unknown, field: string, maxLength: number): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw new SensorDefinitionError(field, `must be a string, got ${JSON.stringify(value)}`);
  if (value.length > maxLength) throw new SensorDefinitionError(field, `is longer than ${maxLength} characters`);
  // A label is printed to terminals and pages: an escape sequence or a line break in it would be obeyed there.
  const control = CONTROL_CHARACTER.exec(value);
  if (control !== null) {
    const code = control[0].codePointAt(0)!.toString(16).padStart(4, '0');
    throw new SensorDefinitionError(
      field,
      `must not contain control characters, found U+${code.toUpperCase()} at ${control.index}`,
    );
  }
  return value;
}

/** C0 and C1 controls and DEL. */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;
