import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadTls, TlsSetupError } from './certificate.js';

describe('loadTls()', () => {
  const path = process.env['PATH'];
  afterEach(() => {
    process.env['PATH'] = path;
  });

  it('without openssl on the PATH, says what to install or give instead, and leaves no certificate behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teiten-tls-'));
    // A directory with no commands at all: execFile finds no openssl.
    process.env['PATH'] = mkdtempSync(join(tmpdir(), 'teiten-empty-path-'));
    const failed = await loadTls({ dataDir: dir }).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(TlsSetupError);
    expect((failed as TlsSetupError).code).toBe('TEITEN_TLS_SETUP');
    expect((failed as Error).message).toMatch(/openssl command was not found .*apt-get install openssl.*--tls-cert/);
    process.env['PATH'] = path;
    // Once openssl is there, the same directory gets its certificate (nothing half-made was kept).
    const tls = await loadTls({ dataDir: dir });
    expect(tls.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });
});
