import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ETC_SERVICES_PATH, loadEtcServices, parseEtcServices } from './etc-services.js';

const FIXTURE = fileURLToPath(new URL('./testdata/services.txt', import.meta.url));

describe('parseEtcServices()', () => {
  it('parseEtcServices() reads tcp and udp lines, first name per port wins', () => {
    const names = parseEtcServices(readFileSync(FIXTURE, 'utf8'));
    expect(names.get('22/TCP')).toBe('ssh');
    expect(names.get('53/UDP')).toBe('domain');
    expect(names.get('750/UDP')).toBe('kerberos4');
    expect(names.get('873/TCP')).toBe('rsync');
    expect(names.has('70000/TCP')).toBe(false);
    expect(names.has('9999/SCTP')).toBe(false);
    expect(names.size).toBe(12);
  });

  it('loadEtcServices() gives an empty map when the file is absent', () => {
    expect(loadEtcServices('/nonexistent/services').size).toBe(0);
    expect(loadEtcServices(FIXTURE).get('445/TCP')).toBe('microsoft-ds');
  });

  it.skipIf(!existsSync(ETC_SERVICES_PATH))('loadEtcServices() reads the system file of netbase', () => {
    expect(loadEtcServices().get('22/TCP')).toBe('ssh');
  });
});
