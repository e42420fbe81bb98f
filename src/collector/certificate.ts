/**
 * @module
 * The collector's TLS certificate: the one given with `--tls-cert/--tls-key`,
 * or a self-signed one made once with Debian's `openssl` and kept in the data
 * directory, so its fingerprint (which enrolment files pin) survives
 * restarts. The fingerprint is the SHA-256 of the certificate's DER bytes in
 * the `AB:CD:…` form `openssl x509 -fingerprint -sha256` prints.
 */

import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** The command that makes the self-signed certificate. */
const OPENSSL = 'openssl';
export const CERT_FILE = 'collector-cert.pem';
export const KEY_FILE = 'collector-key.pem';
const VALID_DAYS = 3650;

/** The collector's own certificate could not be made (`openssl` missing or failing). */
export class TlsSetupError extends Error {
  override readonly name = 'TlsSetupError';
  readonly code = 'TEITEN_TLS_SETUP';

  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
  }
}

export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
  /** `AB:CD:…` SHA-256 of the certificate. */
  fingerprint: string;
  certFile: string;
}

/** The SHA-256 fingerprint of a PEM certificate, as credentials files pin it. */
export function certificateFingerprint(pem: string | Buffer): string {
  return new X509Certificate(pem).fingerprint256;
}

/** The fingerprint of the certificate kept in `dataDir`, if there is one. */
export async function storedFingerprint(dataDir: string): Promise<string | undefined> {
  const file = join(dataDir, CERT_FILE);
  if (!existsSync(file)) return undefined;
  return certificateFingerprint(await readFile(file));
}

/** Reads the given pair, or the data directory's (made on first use). */
export async function loadTls(options: {
  certFile?: string;
  keyFile?: string;
  dataDir: string;
  hostName?: string;
}): Promise<TlsMaterial> {
  let certFile = options.certFile;
  let keyFile = options.keyFile;
  if (certFile === undefined || keyFile === undefined) {
    certFile = join(options.dataDir, CERT_FILE);
    keyFile = join(options.dataDir, KEY_FILE);
    if (!existsSync(certFile) || !existsSync(keyFile))
      await makeSelfSigned(options.dataDir, options.hostName ?? 'localhost');
  }
  const [cert, key] = await Promise.all([readFile(certFile), readFile(keyFile)]);
  return { cert, key, fingerprint: certificateFingerprint(cert), certFile };
}

/** A self-signed EC P-256 certificate for `hostName` (and 127.0.0.1, ::1), written key first then certificate. */
async function makeSelfSigned(dataDir: string, hostName: string): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const tmpCert = join(dataDir, `${CERT_FILE}.tmp`);
  const tmpKey = join(dataDir, `${KEY_FILE}.tmp`);
  const san = `subjectAltName=DNS:${hostName},DNS:localhost,IP:127.0.0.1,IP:::1`;
  await run(OPENSSL, [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    tmpKey,
    '-out',
    tmpCert,
    '-days',
    String(VALID_DAYS),
    '-subj',
    `/CN=teiten collector ${hostName}`,
    '-addext',
    san,
  ]).catch((cause: unknown) => {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    throw new TlsSetupError(
      `Cannot make the collector's TLS certificate in ${dataDir}: ` +
        (missing
          ? `the ${OPENSSL} command was not found (Debian: apt-get install ${OPENSSL})`
          : `${OPENSSL} failed: ${cause instanceof Error ? cause.message : String(cause)}`) +
        '; or give a certificate with --tls-cert FILE --tls-key FILE',
      { cause },
    );
  });
  // The key before the certificate: a certificate present means its key is too.
  await rename(tmpKey, join(dataDir, KEY_FILE));
  await rename(tmpCert, join(dataDir, CERT_FILE));
}
