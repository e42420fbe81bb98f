import { describe, expect, test } from 'vitest';
import { SensorDefinitionError } from './errors.js';
import { OPEN_END_SEC } from './schema.js';
import { parseInterval, parseSensorDefinition } from './sensor-definition.js';

const opts = { defaultTimeZone: 'Asia/Tokyo' };

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof SensorDefinitionError) return error.field;
    throw error;
  }
  throw new Error('did not throw');
}

describe('parseSensorDefinition()', () => {
  test('parseSensorDefinition() fills label, zone and operating defaults', () => {
    const def = parseSensorDefinition({ name: 'tky_01', addresses: ['192.0.2.0/28'] }, opts);
    expect(def).toMatchObject({ name: 'tky_01', label: '', timeZone: 'Asia/Tokyo', operating: [] });
    expect(def.addresses[0]).toMatchObject({ cidr: '192.0.2.0/28', addressCount: 16 });
  });

  test('parseSensorDefinition() names the field that is wrong', () => {
    expect(fieldOf(() => parseSensorDefinition(null, opts))).toBe('(definition)');
    expect(fieldOf(() => parseSensorDefinition({ name: 'Tokyo', addresses: ['10.0.0.1'] }, opts))).toBe('name');
    expect(fieldOf(() => parseSensorDefinition({ name: 'a', addresses: [] }, opts))).toBe('addresses');
    expect(fieldOf(() => parseSensorDefinition({ name: 'a', addresses: ['10.0.0.1', 7] }, opts))).toBe('addresses[1]');
    expect(fieldOf(() => parseSensorDefinition({ name: 'a', addresses: ['10.0.0.0/24', '10.0.0.9'] }, opts))).toBe(
      'addresses[1]',
    );
    expect(
      fieldOf(() => parseSensorDefinition({ name: 'a', addresses: ['10.0.0.1'], timeZone: 'Mars/Base' }, opts)),
    ).toBe('timeZone');
    expect(fieldOf(() => parseSensorDefinition({ name: 'a', addresses: ['10.0.0.1'], label: 5 }, opts))).toBe('label');
    expect(
      fieldOf(() => parseSensorDefinition({ name: 'a', addresses: ['10.0.0.1'], label: 'red\u001b[31m' }, opts)),
    ).toBe('label');
    expect(() => parseSensorDefinition({ name: 'a', addresses: ['10.0.0.1'], label: 'two\nlines' }, opts)).toThrow(
      /control characters, found U\+000A at 3/,
    );
    expect(parseSensorDefinition({ name: 'a', addresses: ['10.0.0.1'], label: '東京 — 観測点 1' }, opts).label).toBe(
      '東京 — 観測点 1',
    );
    expect(
      fieldOf(() =>
        parseSensorDefinition({ name: 'a', addresses: ['10.0.0.1'], operating: [{ from: 'yesterday' }] }, opts),
      ),
    ).toBe('operating[0].from');
  });

  test('parseSensorDefinition() explains an overlap within the list', () => {
    expect(() => parseSensorDefinition({ name: 'a', addresses: ['10.0.0.0/24', '10.0.0.9'] }, opts)).toThrow(
      'Invalid sensor definition: addresses[1] 10.0.0.9/32 overlaps addresses[0] 10.0.0.0/24',
    );
  });
});

describe('parseInterval()', () => {
  test('parseInterval() reads epoch seconds and zoned ISO times; no end is open', () => {
    expect(parseInterval({ from: 100, to: 200.9 }, { kind: 'down', field: 'downtime' })).toEqual({
      kind: 'down',
      fromSec: 100,
      toSec: 200,
      note: '',
    });
    expect(
      parseInterval({ from: '2010-04-01T00:00+09:00', note: 'installed' }, { kind: 'operating', field: 'op' }),
    ).toEqual({
      kind: 'operating',
      fromSec: 1270047600,
      toSec: OPEN_END_SEC,
      note: 'installed',
    });
  });

  test('parseInterval() rejects zone-less times and empty intervals', () => {
    expect(() => parseInterval({ from: '2010-04-01T00:00' }, { kind: 'down', field: 'd' })).toThrow(
      /d\.from must be epoch seconds or an ISO 8601 time with a zone/,
    );
    expect(fieldOf(() => parseInterval({ from: 5, to: 5 }, { kind: 'down', field: 'd' }))).toBe('d.to');
    expect(fieldOf(() => parseInterval({ from: -1 }, { kind: 'down', field: 'd' }))).toBe('d.from');
  });
});
