import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileScenario } from './compile-scenario.js';
import { ScenarioError } from './errors.js';
import {
  bundledScenarioNames,
  loadScenario,
  parseScenarioText,
  resolveScenarioPath,
  validateScenario,
} from './scenario-load.js';
import type { Scenario } from './scenario-schema.js';
import { countryNetworks } from './simulate.js';

const BASE = `
name: tiny
period: {start: 2010-06-01, end: 2010-06-02}
sensors: [{name: a, addresses: 192.0.2.1}]
populations:
  - {name: smb, family: syn-scan, services: 445/TCP, rate: 10, countries: {JP: 1}, sources: 5}
`;

/** The issues of the ScenarioError `run` throws, as "path: message" lines. */
function issuesOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as ScenarioError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected a ScenarioError');
}

function compile(scenario: Scenario): ReturnType<typeof compileScenario> {
  return compileScenario(scenario, { networks: countryNetworks() });
}

describe('scenario loading', () => {
  it('parseScenarioText() accepts a minimal scenario and applies no hidden defaults to the file', () => {
    const scenario = parseScenarioText(BASE);
    expect(scenario.name).toBe('tiny');
    expect(scenario.period.timeZone).toBeUndefined();
    expect(compile(scenario).timeZone).toBe('Asia/Tokyo');
  });

  it('parseScenarioText() names the field of each schema problem', () => {
    const text = `
name: Bad Name
period: {start: 2010-06-01, end: "June 2"}
sensors: [{name: a, addresses: 192.0.2.1, colour: red}]
populations:
  - {name: smb, family: syn-scan, services: 445/TCP, rate: -1, countries: {jp: 1}, sources: 5}
  - {name: slam, family: slammerr, rate: 1, countries: {CN: 1}, sources: 5, burst: {mean: 4, max: 2}}
`;
    const issues = issuesOf(() => parseScenarioText(text, { source: 'bad.yaml' }));
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^name: must be 1\.\.64 characters/),
        expect.stringMatching(/^period\.end: must be a date/),
        expect.stringMatching(/^sensors\[0\]: Unrecognized key: "colour"/),
        expect.stringMatching(/^populations\[0\]\.rate: Too small/),
        expect.stringMatching(/^populations\[0\]\.countries\.jp: key must be an ISO 3166 alpha-2 code/),
        expect.stringMatching(/^populations\[1\]\.family: Invalid option/),
        expect.stringMatching(/^populations\[1\]\.burst: mean must not be above max/),
      ]),
    );
  });

  it('parseScenarioText() reports YAML syntax errors with a stable code', () => {
    try {
      parseScenarioText('name: [unclosed', { source: 'broken.yaml' });
      throw new Error('expected a ScenarioError');
    } catch (error) {
      expect((error as ScenarioError).code).toBe('TEITEN_SCENARIO_SYNTAX');
      expect((error as Error).message).toMatch(/^Cannot use scenario broken\.yaml: /);
    }
    expect(() => parseScenarioText('{"name": ', { json: true })).toThrow(/Cannot use scenario \(inline\)/);
  });

  it('compileScenario() names the field of each problem that needs context', () => {
    const scenario = validateScenario({
      name: 'ctx',
      period: { start: '2010-06-01', end: '2010-06-02', timeZone: 'Asia/Tokio' },
      sensors: [{ name: 'a', addresses: '192.0.2.1' }],
      populations: [{ name: 'x', family: 'syn-scan', services: '445/TCP', rate: 1, countries: { JP: 1 }, sources: 1 }],
    });
    expect(issuesOf(() => compile(scenario))).toEqual(['period.timeZone: "Asia/Tokio" is not an IANA time zone name']);

    const bad = validateScenario({
      name: 'ctx',
      period: { start: '2010-06-01', end: '2010-06-02' },
      sensors: [
        { name: 'a', addresses: ['192.0.2.1', '192.0.2.3/30'] },
        { name: 'b', addresses: '192.0.2.1' },
      ],
      downtime: [{ sensor: 'c', from: '2010-06-01', to: '2010-06-01' }],
      otherHosts: { share: 0.1, addresses: '192.0.2.1' },
      populations: [
        { name: 'x', family: 'slammer', services: '445/TCP', rate: 1, countries: { XX: 1 }, sources: 1 },
        { name: 'y', family: 'syn-scan', rate: 1, countries: { JP: 1 }, sources: 1, sensors: ['z'] },
      ],
      events: [
        {
          name: 'x',
          family: 'time-exceeded',
          rate: 1,
          countries: { JP: 1 },
          sources: 1,
          start: '2010-06-02',
          end: '2010-06-01',
          quote: { service: '53/UDP', victimsFrom: 'nobody' },
        },
      ],
      backscatter: [
        { name: 'b1', protocol: 'tcp', countries: { US: 1 }, ratePerHour: 1, start: '2010-06-01', end: '2010-06-02' },
      ],
    });
    expect(issuesOf(() => compile(bad))).toEqual(
      expect.arrayContaining([
        'sensors[0].addresses[1]: "192.0.2.3/30" has host bits set (the block starts at 192.0.2.0)',
        'sensors[1].addresses: 192.0.2.1 also belongs to sensor a',
        expect.stringMatching(/^downtime\[0\]\.sensor: no sensor is named "c"/),
        'otherHosts.addresses: 192.0.2.1 belongs to a sensor',
        'populations[0].services: "445/TCP" is not a UDP service, which this family sends',
        'populations[0].countries.XX: the GeoIP database has no IPv4 networks for XX',
        'populations[1]: needs services (e.g. 445/TCP) or destinationPorts for this family',
        'populations[1].sensors[0]: no sensor is named "z"',
        'events[0].end: must be after start',
        'events[0].quote.victimsFrom: no stream is named "nobody"',
        'events[0].name: "x" is also the name of populations[0]',
        'backscatter[0].victimPorts: a TCP attack needs the victim ports (e.g. [6667])',
      ]),
    );
  });

  it('loadScenario() reads YAML and JSON files and bundled names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'teiten-scenario-'));
    const json = join(dir, 'tiny.json');
    writeFileSync(json, JSON.stringify(parseScenarioText(BASE)));
    expect(loadScenario(json).scenario.name).toBe('tiny');
    expect(bundledScenarioNames()).toEqual(
      expect.arrayContaining(['quarterly-2010q1fy', 'monthly-2007-07', 'detector-check']),
    );
    expect(resolveScenarioPath('monthly-2007-07')).toMatch(/data[/\\]scenarios[/\\]monthly-2007-07\.yaml$/);
    expect(() => resolveScenarioPath(join(dir, 'missing.yaml'))).toThrow(/no such file, and no bundled scenario/);
  });

  it('compileScenario() accepts every bundled scenario', () => {
    for (const name of bundledScenarioNames()) {
      const compiled = compileScenario(loadScenario(name).scenario, { networks: countryNetworks(), scale: 0.01 });
      expect(compiled.streams.length).toBeGreaterThan(0);
      expect(compiled.sensors.length).toBeGreaterThan(0);
    }
    const quarterly = compileScenario(loadScenario('quarterly-2010q1fy').scenario, { networks: countryNetworks() });
    expect(quarterly.sensors.length).toBeGreaterThanOrEqual(10);
    expect(quarterly.startSec).toBe(Date.parse('2010-01-01T00:00:00+09:00') / 1000);
    expect(quarterly.endSec).toBe(Date.parse('2010-07-01T00:00:00+09:00') / 1000);
    const monthly = compileScenario(loadScenario('monthly-2007-07').scenario, { networks: countryNetworks() });
    expect(monthly.sensors.map((s) => s.name)).toEqual(
      Array.from({ length: 10 }, (_, k) => `point-${String(k + 1).padStart(2, '0')}`),
    );
  });
});
