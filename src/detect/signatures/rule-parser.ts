/**
 * @module
 * One rule's text to a `SignatureRule`, or a `SkippedRule` naming the first
 * keyword the engine does not implement, or a `RuleSyntaxError` naming the
 * file and line. Options are applied in rule order, as payload keywords
 * depend on the ones before them.
 */
import { RuleSyntaxError, RuleValueError, UnsupportedRuleError, type RuleOrigin } from './errors.js';
import { flowOption, packetTest, thresholdOption } from './packet-options.js';
import { applyContentModifier, byteJump, byteTest, contentMatch, isDataAt } from './payload-options.js';
import { parsePcre } from './pcre-translate.js';
import { parseRuleHeader } from './rule-header.js';
import { splitCommas, splitRule, unquote, type RuleOption } from './rule-text.js';
import type {
  ContentMatch,
  PacketTest,
  PayloadMatch,
  SignatureRule,
  SkippedRule,
  ThresholdSpec,
} from './rule-types.js';
import { unsupportedReason } from './unsupported-keywords.js';
import type { RuleVariables } from './variables.js';

const MAX_SID = 0xffffffff;

export interface ParseRuleOptions {
  variables: RuleVariables;
  /** Match `flow:established` rules as if every connection were established (noted on each rule). */
  assumeEstablished?: boolean;
}

export type ParsedRule = { kind: 'rule'; rule: SignatureRule } | { kind: 'skipped'; skipped: SkippedRule };

/** Keywords that only describe the rule; their values are kept or ignored, never matched. */
const DESCRIPTIVE = new Set(['target', 'tag', 'pkt_data']);

/** Parses one logical rule line. */
export function parseRule(text: string, origin: RuleOrigin, options: ParseRuleOptions): ParsedRule {
  let sid: number | null = null;
  let msg: string | null = null;
  try {
    const split = splitRule(text);
    sid = findSid(split.options);
    msg = findMsg(split.options);
    const header = parseRuleHeader(split.header, options.variables);
    const body = applyOptions(split.options, options.assumeEstablished === true);
    if (sid === null) throw new RuleValueError('Rule has no sid');
    const rule: SignatureRule = {
      sid,
      msg: msg ?? '',
      ...body,
      ...header,
      origin,
    };
    return { kind: 'rule', rule };
  } catch (error: unknown) {
    if (error instanceof UnsupportedRuleError) {
      const { keyword, reason } = error;
      return { kind: 'skipped', skipped: { file: origin.file, line: origin.line, sid, msg, keyword, reason } };
    }
    if (error instanceof RuleValueError) throw new RuleSyntaxError(error.message, { ...origin, sid }, { cause: error });
    throw error;
  }
}

function findSid(options: readonly RuleOption[]): number | null {
  const option = options.find((o) => o.keyword === 'sid');
  if (option === undefined) return null;
  const text = (option.value ?? '').trim();
  const sid = Number(text);
  if (!/^\d+$/.test(text) || sid < 1 || sid > MAX_SID)
    throw new RuleValueError(`sid '${text}' is not a positive number`);
  return sid;
}

function findMsg(options: readonly RuleOption[]): string | null {
  const option = options.find((o) => o.keyword === 'msg');
  if (option === undefined || option.value === null) return null;
  // Rule files are read as latin1 (bytes); a UTF-8 message is decoded back here.
  return Buffer.from(unquote(option.value, 'msg', false), 'latin1').toString('utf8');
}

type RuleBody = Omit<
  SignatureRule,
  'sid' | 'msg' | 'origin' | 'protocol' | 'src' | 'dst' | 'sport' | 'dport' | 'bidirectional'
>;

function applyOptions(options: readonly RuleOption[], assumeEstablished: boolean): RuleBody {
  let gid = 1;
  let rev = 0;
  let classtype: string | null = null;
  let priority: number | null = null;
  const metadata: string[] = [];
  const references: string[] = [];
  const tests: PacketTest[] = [];
  const payload: PayloadMatch[] = [];
  const notes: string[] = [];
  let threshold: ThresholdSpec | null = null;
  let lastContent: ContentMatch | null = null;

  for (const { keyword, value } of options) {
    if (applyContentModifier(lastContent, keyword, value)) continue;
    const test = packetTest(keyword, value);
    if (test !== undefined) {
      tests.push(test);
      continue;
    }
    switch (keyword) {
      case 'sid':
      case 'msg':
        break; // Read before the header, for skip reports.
      case 'rev':
        rev = wholeNumber(value, 'rev');
        break;
      case 'gid':
        gid = wholeNumber(value, 'gid');
        break;
      case 'priority':
        priority = wholeNumber(value, 'priority');
        break;
      case 'classtype':
        if (value === null || !/^[A-Za-z0-9_-]+$/.test(value))
          throw new RuleValueError(`classtype '${value ?? ''}' is not a name`);
        classtype = value;
        break;
      case 'reference':
        references.push(value ?? '');
        break;
      case 'metadata':
        metadata.push(...splitCommas(value ?? '').filter((m) => m !== ''));
        break;
      case 'content':
        lastContent = contentMatch(value);
        payload.push(lastContent);
        break;
      case 'pcre':
        payload.push(parsePcre(value ?? ''));
        break;
      case 'isdataat':
        payload.push(isDataAt(value));
        break;
      case 'byte_test':
        payload.push(byteTest(value));
        break;
      case 'byte_jump':
        payload.push(byteJump(value));
        break;
      case 'flow': {
        const decision = flowOption(value, assumeEstablished);
        if (decision.note !== null) notes.push(decision.note);
        break;
      }
      case 'threshold':
      case 'detection_filter':
        if (threshold !== null) throw new RuleValueError('Rule has more than one threshold or detection_filter');
        threshold = thresholdOption(keyword, value);
        break;
      default:
        if (DESCRIPTIVE.has(keyword)) break;
        throw new UnsupportedRuleError(keyword, unsupportedReason(keyword));
    }
  }
  return { gid, rev, classtype, priority, metadata, references, tests, payload, threshold, notes };
}

function wholeNumber(value: string | null, what: string): number {
  const text = (value ?? '').trim();
  if (!/^\d+$/.test(text)) throw new RuleValueError(`${what} '${text}' is not a whole number`);
  return Number(text);
}
