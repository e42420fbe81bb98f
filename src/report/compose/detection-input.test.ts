import { describe, expect, it } from 'vitest';
import { DetectionInputError } from './errors.js';
import { NO_DETECTIONS, parseDetectionInput, type DetectionInput } from './detection-input.js';

function sample(): DetectionInput {
  return {
    signatures: {
      rulesLoaded: 12,
      total: { current: 1.5, previous: 2 },
      sourcesPerDay: null,
      byCategory: [
        { key: 'Worm', current: 1, previous: 2 },
        { key: 'Scan', current: 0.5, previous: 0 },
      ],
      byCountry: [{ key: 'CN', current: 1.5, previous: 2 }],
      countryCategory: [{ country: 'CN', category: 'Worm', value: 1 }],
      daily: { dates: ['2010-04-01', '2010-04-02'], categories: [{ key: 'Worm', values: [1, null] }] },
      topRules: [{ sid: 1, message: '<b>x</b>', category: 'Worm', current: 1 }],
    },
    backscatter: {
      daily: [{ date: '2010-04-01', packets: 10, sources: 2 }],
      previous: null,
      bySourcePort: [
        { key: '80/TCP', packets: 10 },
        { key: 'ICMP', packets: 0 },
      ],
      byCountry: [{ key: 'ZZ', packets: 10 }],
      victims: [
        {
          address: '192.0.2.1',
          country: '--',
          sourcePort: '80/TCP',
          packets: 10,
          firstDate: '2010-04-01',
          lastDate: '2010-04-01',
        },
      ],
    },
  };
}

describe('parseDetectionInput()', () => {
  it('parseDetectionInput() accepts a complete input and the no-data input unchanged', () => {
    expect(parseDetectionInput(sample(), 'x.json')).toEqual(sample());
    expect(parseDetectionInput(JSON.parse(JSON.stringify(NO_DETECTIONS)), 'x.json')).toEqual(NO_DETECTIONS);
  });

  it('parseDetectionInput() names the source and field of a bad value', () => {
    const negative = sample();
    negative.signatures!.byCategory[1]!.current = -0.5;
    expect(() => parseDetectionInput(negative, 'x.json')).toThrow(DetectionInputError);
    expect(() => parseDetectionInput(negative, 'x.json')).toThrow(
      /^Invalid detection input x\.json at signatures\.byCategory\.1\.current: /,
    );
    const country = sample();
    country.backscatter!.byCountry[0]!.key = 'Japan';
    expect(() => parseDetectionInput(country, 'x.json')).toThrow(
      /at backscatter\.byCountry\.0\.key: expected a two-letter country code/,
    );
    expect(() => parseDetectionInput({ signatures: null }, 'x.json')).toThrow(/at backscatter: /);
    expect(() => parseDetectionInput({ ...sample(), extra: 1 }, 'x.json')).toThrow(DetectionInputError);
  });

  it('parseDetectionInput() refuses daily series of the wrong length and repeated keys', () => {
    const short = sample();
    short.signatures!.daily.categories[0]!.values = [1];
    expect(() => parseDetectionInput(short, 's')).toThrow(
      'Invalid detection input s at signatures.daily.categories.0.values: has 1 values for 2 dates',
    );
    const twice = sample();
    twice.signatures!.byCategory[1]!.key = 'Worm';
    expect(() => parseDetectionInput(twice, 's')).toThrow('at signatures.byCategory.1.key: "Worm" appears twice');
    const days = sample();
    days.backscatter!.daily.push({ date: '2010-04-01', packets: 1, sources: 1 });
    expect(() => parseDetectionInput(days, 's')).toThrow('at backscatter.daily.1.date: "2010-04-01" appears twice');
  });

  it('DetectionInputError carries a stable code and the field', () => {
    try {
      parseDetectionInput({ signatures: null, backscatter: { ...sample().backscatter!, daily: 'x' } }, 'f');
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'TEITEN_REPORT_DETECTION_INPUT', source: 'f', field: 'backscatter.daily' });
    }
  });
});
