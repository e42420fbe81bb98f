/**
 * @module
 * The credentials file `teiten sensors enroll` writes and `teiten sensor run`
 * reads: collector URL, the pinned SHA-256 fingerprint of its certificate,
 * the sensor's name and its secret. Written with mode 0600 because the secret
 * lets anyone upload as the sensor.
 */

import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { describeIssues } from './protocol.js';

const FINGERPRINT = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;

export const Credentials = z
  .object({
    version: z.literal(1),
    collector: z.url({ protocol: /^https$/, error: 'collector must be an https:// URL' }),
    /** SHA-256 of the collector certificate's DER bytes, as `AB:CD:…` (what `openssl x509 -fingerprint -sha256` prints). */
    fingerprint: z.string().regex(FINGERPRINT, 'expected a SHA-256 fingerprint as 32 colon-separated hex bytes'),
    sensor: z.string().min(1).max(100),
    secret: z.string().min(32),
  })
  .strict();
export type Credentials = z.infer<typeof Credentials>;

/** A credentials file that is missing, unreadable or not valid; the message names the file and field. */
export class CredentialsError extends Error {
  readonly code = 'TEITEN_CREDENTIALS';
  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`Cannot use credentials file ${file}: ${message}`, options);
    this.name = 'CredentialsError';
  }
}

export async function readCredentials(file: string): Promise<Credentials> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CredentialsError(file, (error as Error).message, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CredentialsError(file, 'not JSON', { cause: error });
  }
  const parsed = Credentials.safeParse(json);
  if (!parsed.success) throw new CredentialsError(file, describeIssues(parsed.error));
  return parsed.data;
}

/** Writes the file with mode 0600; refuses to overwrite an existing one (`flag: 'wx'`). */
export async function writeCredentials(file: string, credentials: Credentials): Promise<void> {
  const checked = Credentials.parse(credentials);
  await writeFile(file, `${JSON.stringify(checked, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
}
