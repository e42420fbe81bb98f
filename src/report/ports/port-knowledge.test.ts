import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { serviceKey } from '../../classify/service-key.js';
import { PortKnowledgeError } from '../errors.js';
import { defaultKnowledgeFile, describePort, openPortKnowledge } from './port-knowledge.js';

const SERVICES_FIXTURE = fileURLToPath(new URL('./testdata/services.txt', import.meta.url));
const TCP = 6;
const UDP = 17;

const REQUIRED = [
  '22/TCP',
  '23/TCP',
  '25/TCP',
  '53/UDP',
  '80/TCP',
  '81/TCP',
  '123/UDP',
  '135/TCP',
  '137/UDP',
  '139/TCP',
  '161/UDP',
  '443/TCP',
  '445/TCP',
  '1023/TCP',
  '1025/TCP',
  '1026/UDP',
  '1027/UDP',
  '1028/UDP',
  '1080/TCP',
  '1433/TCP',
  '1434/UDP',
  '1900/UDP',
  '2967/TCP',
  '3128/TCP',
  '3306/TCP',
  '3389/TCP',
  '4899/TCP',
  '5060/UDP',
  '5900/TCP',
  '6000/TCP',
  '6667/TCP',
  '8000/TCP',
  '8080/TCP',
  '8088/TCP',
  '9415/TCP',
  '11211/UDP',
  '27015/UDP',
  '0/ICMP',
  '3/ICMP',
  '8/ICMP',
  '11/ICMP',
];

describe('port knowledge base', () => {
  const kb = openPortKnowledge({ servicesFile: SERVICES_FIXTURE });

  it('openPortKnowledge() covers the common darknet ports in both languages', () => {
    for (const key of REQUIRED) {
      const ja = kb.describe(key, 'ja');
      const en = kb.describe(key, 'en');
      expect(ja.source, key).toBe('knowledge-base');
      expect(ja.description!.length, key).toBeGreaterThan(20);
      expect(ja.description, key).toMatch(/[ぁ-んァ-ン一-龯]/);
      expect(en.description, key).toMatch(/^[A-Z][^ぁ-んァ-ン一-龯]+\.$/);
      expect(en.name).toBe(ja.name);
    }
    expect(kb.keys()).toEqual(expect.arrayContaining(REQUIRED));
  });

  it('describe() accepts stored keys and text in any case', () => {
    expect(kb.describe(serviceKey(TCP, 445), 'en')).toEqual(kb.describe('445/tcp', 'en'));
    expect(kb.describe('445/tcp', 'en').key).toBe('445/TCP');
    expect(kb.describe('1434/UDP', 'en').description).toContain('SQL Slammer');
  });

  it('describe() matches the BitTorrent range, then falls back to IANA names, then to none', () => {
    expect(kb.describe(serviceKey(UDP, 6885), 'ja')).toMatchObject({ name: 'BitTorrent', source: 'knowledge-base' });
    expect(kb.describe('6890/UDP', 'ja').name).not.toBe('BitTorrent');
    expect(kb.describe('636/TCP', 'en')).toEqual({ key: '636/TCP', name: 'ldaps', description: null, source: 'iana' });
    expect(kb.describe('23632/UDP', 'en')).toEqual({ key: '23632/UDP', name: null, description: null, source: 'none' });
    expect(kb.describe('5/ICMP', 'en').source).toBe('none');
    expect(() => kb.describe('445/xyz', 'en')).toThrow(SyntaxError);
  });

  it('describePort() uses the bundled file found above the module', () => {
    expect(defaultKnowledgeFile()).toMatch(/data\/ports\/ports\.json$/);
    expect(describePort('3389/TCP', 'en').name).toBe('RDP');
  });

  it('openPortKnowledge() names the file and field of a bad entry', () => {
    const dir = mkdtempSync(join(tmpdir(), 'teiten-ports-'));
    const write = (data: unknown) => {
      const file = join(dir, 'ports.json');
      writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data));
      return file;
    };
    const base = { format: 'teiten.ports/1', notes: [], ranges: [] };
    const entry = { key: '22/TCP', name: 'SSH', ja: 'あ', en: 'a' };
    expect(() => openPortKnowledge({ file: write('{') })).toThrow(PortKnowledgeError);
    expect(() => openPortKnowledge({ file: write({ ...base, services: [{ ...entry, en: '' }] }) })).toThrow(
      /services\.0\.en/,
    );
    expect(() => openPortKnowledge({ file: write({ ...base, services: [entry, entry] }) })).toThrow(
      /22\/TCP is listed twice/,
    );
    expect(() => openPortKnowledge({ file: write({ ...base, services: [{ ...entry, key: '22/XYZ' }] }) })).toThrow(
      /services\[0\]\.key/,
    );
    expect(() =>
      openPortKnowledge({
        file: write({
          ...base,
          services: [],
          ranges: [{ protos: ['UDP'], from: 9, to: 1, name: 'x', ja: 'x', en: 'x' }],
        }),
      }),
    ).toThrow(/from 9 is above to 1/);
    expect(() => openPortKnowledge({ file: join(dir, 'missing.json') })).toThrow(/missing\.json/);
  });
});
