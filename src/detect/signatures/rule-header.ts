/**
 * @module
 * Rule headers: `action protocol src sport -> dst dport` (or `<>`), with
 * variables expanded and address and port sets compiled.
 */
import { parseAddressSet, type AddressSet } from './address-set.js';
import { RuleValueError, UnsupportedRuleError } from './errors.js';
import { parsePortSet, type PortSet } from './port-set.js';
import type { RuleProtocol } from './rule-types.js';
import type { RuleVariables } from './variables.js';

export interface RuleHeader {
  protocol: RuleProtocol;
  src: AddressSet | null;
  sport: PortSet | null;
  dst: AddressSet | null;
  dport: PortSet | null;
  bidirectional: boolean;
}

/** Actions that raise an alert in IDS mode (Suricata alerts on drop/reject rules when not inline). */
const ALERTING_ACTIONS = new Set(['alert', 'drop', 'reject', 'rejectsrc', 'rejectdst', 'rejectboth', 'sdrop']);
const PROTOCOLS: Readonly<Record<string, RuleProtocol>> = {
  ip: 'ip',
  tcp: 'tcp',
  'tcp-pkt': 'tcp',
  udp: 'udp',
  icmp: 'icmp',
  icmpv6: 'icmpv6',
  'ipv6-icmp': 'icmpv6',
};
const APP_LAYER_REASON = 'an application-layer protocol needs parsed sessions';

/** Splits on whitespace outside `[...]`, so `[1.2.3.4, 5.6.7.8]` stays one field. */
function headerFields(text: string): string[] {
  const fields: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of text) {
    if (c === '[') depth++;
    else if (c === ']') depth--;
    if (/\s/.test(c) && depth === 0) {
      if (current !== '') fields.push(current);
      current = '';
    } else current += c;
  }
  if (current !== '') fields.push(current);
  return fields;
}

export function parseRuleHeader(text: string, variables: RuleVariables): RuleHeader {
  const fields = headerFields(text);
  if (fields.length !== 7) {
    throw new RuleValueError(`Cannot parse rule header '${text}': expected action protocol src sport -> dst dport`);
  }
  const [action, protocolText, srcText, sportText, direction, dstText, dportText] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (!ALERTING_ACTIONS.has(action)) {
    if (action === 'pass' || action === 'log' || action === 'activate' || action === 'dynamic') {
      throw new UnsupportedRuleError(`action ${action}`, 'only alerting rules are matched');
    }
    throw new RuleValueError(`Rule action '${action}' is unknown`);
  }
  const protocol = PROTOCOLS[protocolText.toLowerCase()];
  if (protocol === undefined) {
    const reason =
      protocolText === 'tcp-stream'
        ? 'needs stream reassembly'
        : protocolText === 'sctp'
          ? 'SCTP ports are not decoded'
          : APP_LAYER_REASON;
    throw new UnsupportedRuleError(`protocol ${protocolText}`, reason);
  }
  if (direction !== '->' && direction !== '<>') {
    throw new RuleValueError(`Rule direction '${direction}' must be -> or <>`);
  }
  const sport = parsePortSet(variables.expand(sportText));
  const dport = parsePortSet(variables.expand(dportText));
  if ((sport !== null || dport !== null) && (protocol === 'icmp' || protocol === 'icmpv6')) {
    throw new RuleValueError(`Ports are given for protocol ${protocolText}, which has none`);
  }
  return {
    protocol,
    src: parseAddressSet(variables.expand(srcText)),
    sport,
    dst: parseAddressSet(variables.expand(dstText)),
    dport,
    bidirectional: direction === '<>',
  };
}
