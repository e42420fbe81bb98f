/**
 * @module
 * The admin token of `teiten serve --admin-token-file F` and its check. The
 * file holds one token (surrounding whitespace ignored) of at least
 * `MIN_TOKEN_CHARS` characters, so a guessable word cannot open the admin
 * routes. A request carries it as `Authorization: Bearer TOKEN`; both are
 * hashed before the constant-time comparison, so neither the token's
 * length nor its prefix can be learnt from answer times.
 */

import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ServeErrorCode } from '../errors.js';

export const MIN_TOKEN_CHARS = 16;
const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/** Why a request may not use an admin route; 401 without a token, 403 with a wrong one or when the routes are off. */
export class AdminRefusedError extends Error {
  override readonly name = 'AdminRefusedError';
  readonly code = ServeErrorCode.ADMIN;
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
  }
}

export class AdminTokenFileError extends Error {
  override readonly name = 'AdminTokenFileError';
}

/** Reads and checks the token file; the error names the file and what is wrong. */
export async function readAdminToken(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new AdminTokenFileError(`admin token file ${file}: ${(cause as Error).message}`, { cause });
  }
  const token = text.trim();
  if (/\s/.test(token))
    throw new AdminTokenFileError(`admin token file ${file}: the token must be one word without spaces`);
  if (token.length < MIN_TOKEN_CHARS)
    throw new AdminTokenFileError(
      `admin token file ${file}: the token has ${token.length} characters, at least ${MIN_TOKEN_CHARS} are needed`,
    );
  return token;
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** A check of a request's `Authorization` header against `token` (null: the admin routes are off); throws `AdminRefusedError`. */
export function adminCheck(token: string | null): (authorization: string | undefined) => void {
  const expected = token === null ? null : digest(token);
  return (authorization) => {
    if (expected === null)
      throw new AdminRefusedError(403, 'Admin routes are off: start teiten serve with --admin-token-file FILE');
    const given = BEARER.exec(authorization ?? '')?.[1];
    if (given === undefined)
      throw new AdminRefusedError(401, 'Admin routes need the header Authorization: Bearer TOKEN');
    if (!timingSafeEqual(digest(given), expected)) throw new AdminRefusedError(403, 'The admin token does not match');
  };
}
