import { describe, expect, it } from 'vitest';
import { Rng } from '../util/random.js';
import { DayWindow, diurnalWeights, shapeAt, trendAt, weekdayOf, weeklyWeights } from './shapes.js';

const DAY = 86_400;

describe('shapes', () => {
  it('diurnalWeights() and weeklyWeights() normalise to mean 1', () => {
    for (const w of [
      diurnalWeights('office'),
      diurnalWeights(undefined),
      diurnalWeights(Array.from({ length: 24 }, (_, h) => h)),
    ]) {
      expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(24, 9);
    }
    expect(weeklyWeights('weekdays').reduce((a, b) => a + b, 0)).toBeCloseTo(7, 9);
    expect(() => diurnalWeights(new Array<number>(24).fill(0))).toThrow(/sum to 0/);
  });

  it('weekdayOf() puts 2010-04-05 on a Monday', () => {
    expect(weekdayOf(Date.UTC(2010, 3, 5) / 1000 / DAY)).toBe(0);
    expect(weekdayOf(Date.UTC(2010, 3, 11) / 1000 / DAY)).toBe(6);
  });

  it('trendAt() interpolates between keyframes and holds outside', () => {
    const frames = [
      { sec: 0, factor: 1 },
      { sec: 100, factor: 3 },
      { sec: 200, factor: 0 },
    ];
    expect(trendAt(frames, -5)).toBe(1);
    expect(trendAt(frames, 50)).toBe(2);
    expect(trendAt(frames, 150)).toBe(1.5);
    expect(trendAt(frames, 500)).toBe(0);
    expect(trendAt([], 5)).toBe(1);
  });

  it('shapeAt() gives each event shape its profile', () => {
    expect(shapeAt('step', 0, 10, 5)).toBe(1);
    expect(shapeAt('ramp-up', 0, 10, 2.5)).toBe(0.25);
    expect(shapeAt('ramp-down', 0, 10, 2.5)).toBe(0.75);
    expect(shapeAt('triangle', 0, 10, 5)).toBe(1);
    expect(shapeAt('triangle', 0, 10, 7.5)).toBe(0.5);
    expect(shapeAt('decay', 0, 10, 10)).toBeCloseTo(Math.exp(-3), 12);
  });

  it('DayWindow gives a full day mass 1 and a partial day its diurnal share', () => {
    const window = new DayWindow();
    const office = diurnalWeights('office');
    window.reset(0, DAY, [[-DAY, 2 * DAY]], office);
    expect(window.mass).toBeCloseTo(1, 12);
    window.reset(0, DAY, [[9 * 3600, 12 * 3600]], office);
    const share = (office[9]! + office[10]! + office[11]!) / 24;
    expect(window.mass).toBeCloseTo(share, 12);
    window.reset(0, DAY, [[2 * DAY, 3 * DAY]], office);
    expect(window.mass).toBe(0);
  });

  it('DayWindow.segmentAt() draws hours in proportion to their weight', () => {
    const window = new DayWindow();
    const weights = new Array<number>(24).fill(0);
    weights[3] = 1;
    weights[20] = 3;
    window.reset(0, DAY, [[0, DAY]], diurnalWeights(weights));
    const rng = new Rng(5);
    let late = 0;
    let elsewhere = 0;
    for (let i = 0; i < 10_000; i++) {
      const start = window.segmentStart(window.segmentAt(rng.float()));
      if (start === 20 * 3600) late++;
      else if (start !== 3 * 3600) elsewhere++;
    }
    expect(elsewhere).toBe(0);
    expect(late / 10_000).toBeGreaterThan(0.72);
    expect(late / 10_000).toBeLessThan(0.78);
  });
});
