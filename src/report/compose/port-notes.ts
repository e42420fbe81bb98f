/**
 * @module
 * What a port is used for and why it is scanned, from the bundled port
 * knowledge base (`describePort`), as a sentence fragment or table text.
 * Keys the knowledge base cannot parse (`--`, a packet without a service)
 * have no description.
 */

import type { Language } from '../document.js';
import { PortKnowledgeError } from '../errors.js';
import { describePort, type PortDescription } from '../ports/port-knowledge.js';

/** The description of `key`, or null when the key is not a service or nothing is known. */
export function portDescription(key: string, lang: Language): PortDescription | null {
  if (!/^\d+\/[A-Za-z0-9]+$/.test(key)) return null;
  try {
    return describePort(key, lang);
  } catch (error) {
    // A key the service-key parser refuses (an unknown protocol name) has no description; anything else is a real fault.
    if (error instanceof PortKnowledgeError) throw error;
    if (error instanceof SyntaxError || error instanceof RangeError) return null;
    throw error;
  }
}

/** "445/TCP (microsoft-ds): Windows のファイル共有…" or null when nothing is known. */
export function portNote(key: string, lang: Language): string | null {
  const d = portDescription(key, lang);
  if (d === null || (d.name === null && d.description === null)) return null;
  const name = d.name === null ? '' : ` (${d.name})`;
  return d.description === null ? `${key}${name}` : `${key}${name}: ${d.description}`;
}
