/**
 * `enrollSensor()` on a real store and file system: the credentials file is
 * 0600 and pins the fingerprint, the store holds the key hash and never the
 * secret, enrolling again revokes the earlier key, an existing file is never
 * overwritten (and the old key stays valid), and another address set for an
 * existing sensor is refused.
 */

import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../ingest/testdata/captures.js';
import { readCredentials, signingKey } from '../sensor/index.js';
import { openStore } from '../store/index.js';
import { enrollSensor } from './enroll.js';

const FINGERPRINT = Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).toUpperCase().padStart(2, '0')).join(':');

describe('enrollSensor()', () => {
  it('writes 0600 credentials, keeps only the key hash, and revokes the earlier key on re-enrolment', async () => {
    const dir = tempDir('teiten-enroll-');
    const store = await openStore(':memory:');
    try {
      const request = {
        name: 'tokyo-1',
        addresses: ['192.0.2.0/29'],
        collector: 'https://127.0.0.1:8443',
        fingerprint: FINGERPRINT,
        nowMs: 1000,
      };
      const first = await enrollSensor(store, { ...request, out: join(dir, 'a.cred') });
      expect([first.created, first.revoked]).toEqual([true, 0]);
      expect(statSync(join(dir, 'a.cred')).mode & 0o777).toBe(0o600);
      const a = await readCredentials(join(dir, 'a.cred'));
      expect(a).toMatchObject({
        version: 1,
        collector: request.collector,
        fingerprint: FINGERPRINT,
        sensor: 'tokyo-1',
      });
      const keys = await store.network.keys(first.sensor.id);
      expect(keys).toEqual([
        { sensorId: first.sensor.id, keyHash: signingKey(a.secret), enrolledMs: 1000, revokedMs: 0 },
      ]);
      const stored = JSON.stringify(await store.query({ sql: 'SELECT * FROM sensor_keys', params: [] }));
      expect(stored).not.toContain(a.secret);

      // An existing file is refused and the valid key stays valid.
      await expect(enrollSensor(store, { ...request, out: join(dir, 'a.cred'), nowMs: 2000 })).rejects.toMatchObject({
        code: 'EEXIST',
      });
      expect((await store.network.keys(first.sensor.id)).filter((k) => k.revokedMs === 0)).toHaveLength(1);

      const second = await enrollSensor(store, { ...request, addresses: [], out: join(dir, 'b.cred'), nowMs: 3000 });
      expect([second.created, second.revoked]).toEqual([false, 1]);
      const b = await readCredentials(join(dir, 'b.cred'));
      expect((await store.network.keys(first.sensor.id)).map((k) => [k.keyHash, k.revokedMs])).toEqual([
        [signingKey(a.secret), 3000],
        [signingKey(b.secret), 0],
      ]);
      await expect(
        enrollSensor(store, { ...request, addresses: ['198.51.100.0/24'], out: join(dir, 'c.cred') }),
      ).rejects.toMatchObject({ code: 'TEITEN_STORE_SENSOR_CONFLICT' });
    } finally {
      await store.close();
    }
  });
});
