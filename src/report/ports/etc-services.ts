/**
 * @module
 * IANA service names from `/etc/services` (Debian's netbase package), the
 * fallback name for ports the bundled knowledge base does not describe.
 * Format, one service per line: `name port/protocol [aliases…] [# comment]`.
 * Only tcp and udp entries are kept; the first name for a port wins, as
 * `getservbyport(3)` returns it.
 */

import { readFileSync } from 'node:fs';

export const ETC_SERVICES_PATH = '/etc/services';

const ENTRY = /^([A-Za-z0-9][\w.+-]*)\s+(\d{1,5})\/(tcp|udp)\b/;
const MAX_PORT = 0xffff;

/** Service names keyed by `<port>/TCP` or `<port>/UDP`. */
export function parseEtcServices(text: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    const match = ENTRY.exec(line);
    if (match === null) continue;
    const port = Number(match[2]);
    if (port > MAX_PORT) continue;
    const key = `${port}/${(match[3] as string).toUpperCase()}`;
    if (!names.has(key)) names.set(key, match[1] as string);
  }
  return names;
}

/** The names in `path`, or an empty map when the file does not exist (netbase not installed). */
export function loadEtcServices(path: string = ETC_SERVICES_PATH): Map<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw cause;
  }
  return parseEtcServices(text);
}
