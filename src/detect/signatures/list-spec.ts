/**
 * @module
 * The list syntax shared by rule addresses and ports: atoms, `[a,b]` lists
 * (nested), and `!` negation of an atom or a list. Set meaning, as in
 * Suricata: a list is the union of its positive items (everything when it
 * has none) minus the union of its negated items.
 */
import { RuleValueError } from './errors.js';

export type ListSpec =
  { kind: 'atom'; negated: boolean; text: string } | { kind: 'list'; negated: boolean; items: ListSpec[] };

/** Parses an (already variable-expanded) address or port specification. */
export function parseListSpec(text: string, what: string): ListSpec {
  const source = text.replace(/\s+/g, '');
  let pos = 0;

  const fail = (message: string): never => {
    throw new RuleValueError(`Cannot parse ${what} '${text}': ${message}`);
  };

  const item = (): ListSpec => {
    let negated = false;
    while (source[pos] === '!') {
      negated = !negated;
      pos++;
    }
    if (source[pos] === '[') {
      pos++;
      const items: ListSpec[] = [item()];
      while (source[pos] === ',') {
        pos++;
        items.push(item());
      }
      if (source[pos] !== ']') fail(`expected ] at character ${pos + 1}`);
      pos++;
      return { kind: 'list', negated, items };
    }
    const start = pos;
    while (pos < source.length && !',[]!'.includes(source[pos]!)) pos++;
    if (pos === start) fail(`expected a value at character ${pos + 1}`);
    return { kind: 'atom', negated, text: source.slice(start, pos) };
  };

  if (source === '') fail('empty');
  const spec = item();
  if (pos !== source.length) fail(`unexpected '${source[pos]}' at character ${pos + 1}`);
  return spec;
}

/** True when the spec is `any` (possibly bracketed), i.e. needs no test. */
export function isAny(spec: ListSpec): boolean {
  if (spec.negated) return false;
  if (spec.kind === 'atom') return spec.text === 'any';
  return spec.items.some(isAny) && spec.items.every((item) => !item.negated);
}
