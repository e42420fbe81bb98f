/**
 * @module
 * Rule variables (`$HOME_NET`, `$HTTP_PORTS` …): Suricata's default names,
 * with values chosen for a darknet, and user overrides. Address and port
 * variables share one table, as rule headers use them by position.
 *
 * Darknet defaults: `HOME_NET` and `EXTERNAL_NET` are both `any`. Every
 * packet a darknet sensor sees is unsolicited and inbound, and with
 * Suricata's default `EXTERNAL_NET = !$HOME_NET` an `any` home network
 * would leave no external one, so no `$EXTERNAL_NET -> $HOME_NET` rule could
 * ever match. Set `HOME_NET` to the sensor's prefixes to narrow rules.
 */
import { RuleValueError } from './errors.js';

/** Suricata's default variable names; addresses as a darknet sees them, ports as Suricata ships them. */
export const DEFAULT_RULE_VARIABLES: Readonly<Record<string, string>> = {
  HOME_NET: 'any',
  EXTERNAL_NET: 'any',
  HTTP_SERVERS: '$HOME_NET',
  SMTP_SERVERS: '$HOME_NET',
  SQL_SERVERS: '$HOME_NET',
  DNS_SERVERS: '$HOME_NET',
  TELNET_SERVERS: '$HOME_NET',
  AIM_SERVERS: '$EXTERNAL_NET',
  DC_SERVERS: '$HOME_NET',
  DNP3_SERVER: '$HOME_NET',
  DNP3_CLIENT: '$HOME_NET',
  MODBUS_CLIENT: '$HOME_NET',
  MODBUS_SERVER: '$HOME_NET',
  ENIP_CLIENT: '$HOME_NET',
  ENIP_SERVER: '$HOME_NET',
  HTTP_PORTS: '80',
  SHELLCODE_PORTS: '!80',
  ORACLE_PORTS: '1521',
  SSH_PORTS: '22',
  DNP3_PORTS: '20000',
  MODBUS_PORTS: '502',
  FILE_DATA_PORTS: '[$HTTP_PORTS,110,143]',
  FTP_PORTS: '21',
  GENEVE_PORTS: '6081',
  VXLAN_PORTS: '4789',
  TEREDO_PORTS: '3544',
};

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_DEPTH = 16;

/** Variable lookup with `$NAME` expansion inside values. */
export class RuleVariables {
  private readonly table: Map<string, string>;

  /** Defaults overlaid with `overrides` (names without `$`). */
  constructor(overrides: Readonly<Record<string, string>> = {}) {
    this.table = new Map(Object.entries(DEFAULT_RULE_VARIABLES));
    for (const [name, value] of Object.entries(overrides)) {
      const bare = name.startsWith('$') ? name.slice(1) : name;
      if (!NAME.test(bare)) throw new RangeError(`Cannot set rule variable '${name}': not a variable name`);
      if (value.trim() === '') throw new RangeError(`Cannot set rule variable '${name}': empty value`);
      this.table.set(bare, value.trim());
    }
  }

  /**
   * Replaces every `$NAME` in `spec` by its value, recursively, bracketing
   * list values so `!$VAR` negates the whole list.
   */
  expand(spec: string, depth = 0): string {
    if (!spec.includes('$')) return spec;
    if (depth > MAX_DEPTH) throw new RuleValueError(`Variables nest more than ${MAX_DEPTH} deep in '${spec}'`);
    return spec.replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (_match, name: string) => {
      const value = this.table.get(name);
      if (value === undefined) throw new RuleValueError(`Variable $${name} is not defined`);
      const expanded = this.expand(value, depth + 1);
      return hasTopLevelComma(expanded) ? `[${expanded}]` : expanded;
    });
  }

  has(name: string): boolean {
    return this.table.has(name);
  }
}

/** True for `a,b` (a list needing brackets), false for `a` or `![a,b]`. */
function hasTopLevelComma(text: string): boolean {
  let depth = 0;
  for (const c of text) {
    if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === ',' && depth === 0) return true;
  }
  return false;
}

/** Parses `NAME=VALUE` (CLI `--var`) into an override entry. */
export function parseVariableAssignment(text: string): [string, string] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new RangeError(`Cannot read rule variable '${text}': expected NAME=VALUE`);
  return [text.slice(0, eq).trim(), text.slice(eq + 1).trim()];
}
