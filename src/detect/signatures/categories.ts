/**
 * @module
 * Report categories of signatures (Worm, Scan, Scan(P2P), UDP spam, DoS,
 * DNS, Others) from a mapping file. Each line maps one key to a category:
 *
 * ```
 * default = Others
 * classtype attempted-dos = DoS
 * msg-prefix "ET P2P" = Scan(P2P)
 * sid 9000000-9000099 = Worm
 * ```
 *
 * A rule takes the category of its sid (exact or range) first, else of the
 * longest matching msg prefix, else of its classtype, else the default.
 * Later lines (and later files, via `merge`) override earlier ones for the
 * same key, so a user file need only list its changes.
 */
import { readFile } from 'node:fs/promises';
import { CategoryMapError } from './errors.js';
import type { SignatureRule } from './rule-types.js';

export const SIGNATURE_CATEGORIES = ['Worm', 'Scan', 'Scan(P2P)', 'UDP spam', 'DoS', 'DNS', 'Others'] as const;
export type SignatureCategory = (typeof SIGNATURE_CATEGORIES)[number];

/** A rule's category and the mapping entry that decided it. */
export interface CategoryDecision {
  category: SignatureCategory;
  /** e.g. `sid 9000000-9000099`, `msg-prefix "ET P2P"`, `classtype attempted-dos`, `default`. */
  reason: string;
}

interface SidRange {
  lo: number;
  hi: number;
  category: SignatureCategory;
}

const LINE = /^(default|classtype\s+(\S+)|msg-prefix\s+"((?:[^"\\]|\\.)*)"|sid\s+(\d+)(?:\s*-\s*(\d+))?)\s*=\s*(.+)$/;

export class CategoryMap {
  private fallback: SignatureCategory = 'Others';
  private readonly classtypes = new Map<string, SignatureCategory>();
  private readonly prefixes = new Map<string, SignatureCategory>();
  private readonly sids: SidRange[] = [];

  /** Parses mapping text (named `file` in errors). */
  static parse(text: string, file: string): CategoryMap {
    return new CategoryMap().add(text, file);
  }

  /** Reads and parses mapping files in order, later ones overriding earlier ones. */
  static async load(paths: readonly string[]): Promise<CategoryMap> {
    const map = new CategoryMap();
    for (const path of paths) map.add(await readFile(path, 'utf8'), path);
    return map;
  }

  /** Adds the entries of `text` over the current ones. */
  add(text: string, file: string): this {
    text.split(/\r?\n/).forEach((raw, index) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const where = { file, line: index + 1 };
      const m = LINE.exec(line);
      if (m === null) {
        throw new CategoryMapError(
          `Cannot read category entry '${line}': expected default|classtype NAME|msg-prefix "TEXT"|sid N[-M] = CATEGORY`,
          where,
        );
      }
      const category = m[6]!.trim();
      if (!(SIGNATURE_CATEGORIES as readonly string[]).includes(category)) {
        throw new CategoryMapError(`Category '${category}' is not one of ${SIGNATURE_CATEGORIES.join(', ')}`, where);
      }
      const value = category as SignatureCategory;
      if (m[1] === 'default') this.fallback = value;
      else if (m[2] !== undefined) this.classtypes.set(m[2], value);
      else if (m[3] !== undefined) this.prefixes.set(m[3].replace(/\\(.)/g, '$1'), value);
      else {
        const lo = Number(m[4]);
        const hi = m[5] === undefined ? lo : Number(m[5]);
        if (hi < lo) throw new CategoryMapError(`sid range ${lo}-${hi} runs backwards`, where);
        this.sids.push({ lo, hi, category: value });
      }
    });
    return this;
  }

  decide(rule: Pick<SignatureRule, 'sid' | 'msg' | 'classtype'>): CategoryDecision {
    // Later sid entries win, so search from the end.
    for (let k = this.sids.length - 1; k >= 0; k--) {
      const range = this.sids[k]!;
      if (rule.sid >= range.lo && rule.sid <= range.hi) {
        return {
          category: range.category,
          reason: range.lo === range.hi ? `sid ${range.lo}` : `sid ${range.lo}-${range.hi}`,
        };
      }
    }
    let best: string | null = null;
    for (const prefix of this.prefixes.keys()) {
      if (rule.msg.startsWith(prefix) && (best === null || prefix.length > best.length)) best = prefix;
    }
    if (best !== null) return { category: this.prefixes.get(best)!, reason: `msg-prefix "${best}"` };
    const byClass = rule.classtype === null ? undefined : this.classtypes.get(rule.classtype);
    if (byClass !== undefined) return { category: byClass, reason: `classtype ${rule.classtype}` };
    return { category: this.fallback, reason: 'default' };
  }
}
