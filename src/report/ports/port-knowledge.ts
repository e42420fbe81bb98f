/**
 * @module
 * The port knowledge base: service name and a one-to-two sentence threat
 * description in Japanese and English for the ports a darknet sees most,
 * from `data/ports/ports.json`, for the reports' port explanation tables and
 * findings. Lookup order for a service key:
 *
 * 1. an exact entry (`445/TCP`, `8/ICMP`);
 * 2. a port range entry (BitTorrent 6881–6889, TCP and UDP);
 * 3. the IANA name from `/etc/services` (netbase), with no description —
 *    when the file is absent this step finds nothing;
 * 4. nothing: `name` and `description` null, `source` `none`.
 */

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { formatServiceKey, parseServiceKey } from '../../classify/index.js';
import type { Language } from '../document.js';
import { PortKnowledgeError } from '../errors.js';
import { ETC_SERVICES_PATH, loadEtcServices } from './etc-services.js';

const KNOWLEDGE_FILE = join('data', 'ports', 'ports.json');
/** How far up from this module the package root can be (src/report/ports, dist/src/report/ports). */
const MAX_LEVELS_UP = 6;
const MAX_PORT = 0xffff;

const TEXT = z.string().trim().min(1);
const FILE_SCHEMA = z.strictObject({
  format: z.literal('teiten.ports/1'),
  notes: z.array(TEXT),
  services: z.array(z.strictObject({ key: TEXT, name: TEXT, ja: TEXT, en: TEXT })),
  ranges: z.array(
    z.strictObject({
      protos: z.array(z.enum(['TCP', 'UDP'])).min(1),
      from: z.number().int().min(0).max(MAX_PORT),
      to: z.number().int().min(0).max(MAX_PORT),
      name: TEXT,
      ja: TEXT,
      en: TEXT,
      note: TEXT.optional(),
    }),
  ),
});

type KnowledgeFile = z.infer<typeof FILE_SCHEMA>;
type Entry = { name: string; ja: string; en: string };

export type PortInfoSource = 'knowledge-base' | 'iana' | 'none';

export interface PortDescription {
  /** Canonical service key text, e.g. `445/TCP`. */
  key: string;
  name: string | null;
  description: string | null;
  source: PortInfoSource;
}

export interface PortKnowledgeOptions {
  /** Knowledge base file; default `data/ports/ports.json` of the package. */
  file?: string;
  /** IANA services file; default `/etc/services`. */
  servicesFile?: string;
}

/** The knowledge base plus the IANA fallback, loaded once. */
export class PortKnowledge {
  readonly file: string;
  private readonly services = new Map<string, Entry>();
  private readonly ranges: KnowledgeFile['ranges'];
  private readonly iana: Map<string, string>;

  constructor(data: KnowledgeFile, file: string, iana: Map<string, string>) {
    this.file = file;
    data.services.forEach((entry, i) => {
      const key = canonicalKey(entry.key, file, `services[${i}].key`);
      if (this.services.has(key)) throw new PortKnowledgeError(file, `services[${i}].key: ${key} is listed twice`);
      this.services.set(key, entry);
    });
    data.ranges.forEach((range, i) => {
      if (range.from > range.to)
        throw new PortKnowledgeError(file, `ranges[${i}]: from ${range.from} is above to ${range.to}`);
    });
    this.ranges = data.ranges;
    this.iana = iana;
  }

  /** Describes a service key (number as stored, or text such as `445/tcp`) in `lang`. */
  describe(serviceKey: number | string, lang: Language): PortDescription {
    const key =
      typeof serviceKey === 'number' ? formatServiceKey(serviceKey) : formatServiceKey(parseServiceKey(serviceKey));
    const entry = this.services.get(key) ?? this.rangeEntry(key);
    if (entry !== undefined) return { key, name: entry.name, description: entry[lang], source: 'knowledge-base' };
    const iana = this.iana.get(key);
    if (iana !== undefined) return { key, name: iana, description: null, source: 'iana' };
    return { key, name: null, description: null, source: 'none' };
  }

  /** Keys with their own entry, in file order (for tests and the explanation table). */
  keys(): string[] {
    return [...this.services.keys()];
  }

  private rangeEntry(key: string): Entry | undefined {
    const match = /^(\d+)\/(TCP|UDP)$/.exec(key);
    if (match === null) return undefined;
    const port = Number(match[1]);
    const proto = match[2] as 'TCP' | 'UDP';
    return this.ranges.find((r) => r.protos.includes(proto) && port >= r.from && port <= r.to);
  }
}

function canonicalKey(text: string, file: string, field: string): string {
  try {
    return formatServiceKey(parseServiceKey(text));
  } catch (cause) {
    throw new PortKnowledgeError(file, `${field}: ${(cause as Error).message}`, { cause });
  }
}

/** Path of `data/ports/ports.json`, found by walking up from this module to the package root. */
export function defaultKnowledgeFile(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let level = 0; level <= MAX_LEVELS_UP; level++) {
    const candidate = join(dir, KNOWLEDGE_FILE);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new PortKnowledgeError(KNOWLEDGE_FILE, 'not found above the report module (is the data folder installed?)');
}

/** Loads and validates the knowledge base; throws `PortKnowledgeError` naming the file and field. */
export function openPortKnowledge(options: PortKnowledgeOptions = {}): PortKnowledge {
  const file = options.file ?? defaultKnowledgeFile();
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new PortKnowledgeError(file, (cause as Error).message, { cause });
  }
  const parsed = FILE_SCHEMA.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue === undefined ? '$' : issue.path.map(String).join('.') || '$';
    throw new PortKnowledgeError(file, `${field}: ${issue?.message ?? 'invalid'}`);
  }
  return new PortKnowledge(parsed.data, file, loadEtcServices(options.servicesFile ?? ETC_SERVICES_PATH));
}

let shared: PortKnowledge | undefined;

/** Describes `serviceKey` from the bundled knowledge base and `/etc/services` (loaded on first use). */
export function describePort(serviceKey: number | string, lang: Language): PortDescription {
  shared ??= openPortKnowledge();
  return shared.describe(serviceKey, lang);
}
