/**
 * @module
 * Signature rules matched on the decode thread. Matching costs the ingest
 * thread ~0.25 s per million packets while the decode thread, on the other
 * core, is idle most of the time. With deferred thresholds
 * (`SignatureEngine`'s `deferThresholds`, as the ingest runs it) a packet's
 * matches depend on that packet alone, so the decode thread can match every
 * decoded packet and hand the matches over with the batch; the ingest keeps
 * those of the packets it counts.
 *
 * A rule is an object with methods, which a message cannot carry, so the
 * decode thread loads the rules again from the same files, and refuses to
 * match (`RulesChangedError`) unless it loaded the same rules in the same
 * order: a match names its rule by its index.
 */

import type { PacketBatch } from '../decode/index.js';
import {
  loadRuleFiles,
  SignatureAlerts,
  SignatureEngine,
  type RuleSource,
  type SignatureRule,
} from '../detect/index.js';

/** What the decode thread needs to match the ingest's rules. */
export interface ThreadRules {
  readonly source: RuleSource;
  /** `gid:sid:rev` of each rule, in the ingest's order. */
  readonly ids: readonly string[];
}

export function threadRules(rules: readonly SignatureRule[], source: RuleSource): ThreadRules {
  return { source, ids: rules.map(ruleId) };
}

export const RulesChangedErrorCode = 'TEITEN_RULES_CHANGED';

/** The decode thread's rules are not the ingest's: a rule file changed between the two loads. */
export class RulesChangedError extends Error {
  override readonly name = 'RulesChangedError';
  readonly code = RulesChangedErrorCode;
  /** Index of the first rule that differs. */
  readonly index: number;

  constructor(index: number, loaded: string | undefined, expected: string | undefined) {
    super(
      `The rule files changed while the capture was read: rule ${index + 1} is ` +
        `${loaded === undefined ? 'missing' : `gid:sid:rev ${loaded}`} on the decode thread, ` +
        `${expected === undefined ? 'absent' : `gid:sid:rev ${expected}`} in the ingest; ingest the capture again`,
    );
    this.index = index;
  }
}

/** A batch's matches as the decode thread sends them: arrays of their own, to transfer rather than copy. */
export interface MatchColumns {
  packet: Uint32Array<ArrayBuffer>;
  rule: Uint32Array<ArrayBuffer>;
}

/** The decode thread's side: the ingest's rules, compiled as the ingest matches them (thresholds deferred). */
export class ThreadMatcher {
  readonly engine: SignatureEngine;
  private readonly alerts = new SignatureAlerts();

  private constructor(engine: SignatureEngine) {
    this.engine = engine;
  }

  /** Loads the rules of `spec`; rejects with `RulesChangedError` unless they are the ingest's. */
  static async load(spec: ThreadRules): Promise<ThreadMatcher> {
    const load = await loadRuleFiles(spec.source.paths, spec.source.options);
    const ids = load.rules.map(ruleId);
    const length = Math.max(ids.length, spec.ids.length);
    for (let k = 0; k < length; k++) {
      if (ids[k] !== spec.ids[k]) throw new RulesChangedError(k, ids[k], spec.ids[k]);
    }
    return new ThreadMatcher(new SignatureEngine(load.rules, { deferThresholds: true }));
  }

  /** The matches of every packet of `batch`. */
  match(batch: PacketBatch): MatchColumns {
    const n = this.engine.match(batch, this.alerts);
    return { packet: this.alerts.packet.slice(0, n), rule: this.alerts.rule.slice(0, n) };
  }
}

/** The matches as the ingest reads them. */
export function alertsOf(matches: MatchColumns): SignatureAlerts {
  return SignatureAlerts.of(matches.packet, matches.rule);
}

function ruleId(rule: SignatureRule): string {
  return `${rule.gid}:${rule.sid}:${rule.rev}`;
}
