import { describe, expect, it } from 'vitest';
import { COUNTRY_NONE, COUNTRY_UNKNOWN, packCountry, serviceKey } from '../classify/index.js';
import { IpProto } from '../decode/index.js';
import { ephemeralSportClass, type Sensor } from '../store/index.js';
import { StatsInputError } from './errors.js';
import { keyContext, keyOf, labelOf, parseKey } from './item-keys.js';

const sensor = { id: 7, name: 'tokyo-1', label: 'Tokyo', addresses: [], intervals: [] } as unknown as Sensor;
const ctx = keyContext([sensor]);

describe('item-keys', () => {
  it('keyOf() joins service, country, sensor and source port parts with a space', () => {
    expect(keyOf(['country', 'service'], [packCountry('CN'), serviceKey(IpProto.TCP, 445)], ctx)).toBe('CN 445/TCP');
    expect(keyOf(['service'], [serviceKey(IpProto.ICMP, 11)], ctx)).toBe('11/ICMP');
    expect(keyOf(['sensor_id'], [7], ctx)).toBe('tokyo-1');
    expect(keyOf(['sensor_id'], [99], ctx)).toBe('#99');
    expect(keyOf(['sport_class'], [ephemeralSportClass(IpProto.UDP)], ctx)).toBe('eph/UDP');
    expect(keyOf(['country', 'service'], [COUNTRY_NONE, 0], ctx)).toBe('-- --');
    expect(keyOf(['country'], [COUNTRY_UNKNOWN], ctx)).toBe('ZZ');
  });

  it('parseKey() inverts keyOf() and names the field of a malformed key', () => {
    expect(parseKey(['country', 'service'], 'cn 445/tcp', ctx, 'keys')).toEqual([
      packCountry('CN'),
      serviceKey(IpProto.TCP, 445),
    ]);
    expect(parseKey(['sport_class'], 'eph/TCP', ctx, 'keys')).toEqual([ephemeralSportClass(IpProto.TCP)]);
    expect(parseKey(['sensor_id'], 'tokyo-1', ctx, 'keys')).toEqual([7]);
    expect(parseKey(['country'], '--', ctx, 'keys')).toEqual([COUNTRY_NONE]);
    expect(() => parseKey(['country', 'service'], '445/TCP', ctx, 'keys')).toThrow(/has 1 part\(s\); expected 2/);
    expect(() => parseKey(['service'], '70000/TCP', ctx, 'keys')).toThrow(StatsInputError);
    expect(() => parseKey(['sensor_id'], 'osaka', ctx, 'sensors')).toThrow(
      /sensors "osaka" is not a registered sensor/,
    );
  });

  it('labelOf() fills the parts a key has and leaves the rest null', () => {
    expect(labelOf(['country', 'service'], [packCountry('US'), serviceKey(IpProto.UDP, 1434)], ctx)).toEqual({
      service: '1434/UDP',
      country: 'US',
      countryJa: '米国',
      countryEn: 'United States',
      sensor: null,
      sensorLabel: null,
      sourcePort: null,
    });
    expect(labelOf(['country'], [COUNTRY_NONE], ctx)).toMatchObject({ country: '--', countryEn: 'Not looked up' });
    expect(labelOf(['sensor_id'], [7], ctx)).toMatchObject({ sensor: 'tokyo-1', sensorLabel: 'Tokyo', country: null });
  });
});
