/**
 * @module
 * Loading rule files: every rule is loaded, skipped (with the unsupported
 * keyword) or reported as a syntax error (with file and line). Files are
 * read as latin1 so each byte of a `content` is the byte in the file.
 * Duplicate gid:sid pairs are errors, as an alert must name one rule.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { RuleSyntaxError } from './errors.js';
import { parseRule } from './rule-parser.js';
import { ruleLines } from './rule-text.js';
import type { SignatureRule, SkippedRule } from './rule-types.js';
import { RuleVariables } from './variables.js';

export interface RuleLoad {
  rules: SignatureRule[];
  skipped: SkippedRule[];
  errors: RuleSyntaxError[];
}

export interface LoadRulesOptions {
  /** Overrides of the default variables (`HOME_NET` → `192.0.2.0/24`). */
  variables?: Readonly<Record<string, string>>;
  /** Match `flow:established` rules as if connections were established (each such rule carries a note). */
  assumeEstablished?: boolean;
}

/** Parses the text of one rules file (named `file` in messages). */
export function parseRuleText(text: string, file: string, options: LoadRulesOptions = {}): RuleLoad {
  const load: RuleLoad = { rules: [], skipped: [], errors: [] };
  addRuleText(load, text, file, {
    variables: new RuleVariables(options.variables),
    assumeEstablished: options.assumeEstablished === true,
  });
  return load;
}

function addRuleText(
  load: RuleLoad,
  text: string,
  file: string,
  options: { variables: RuleVariables; assumeEstablished: boolean },
  seen = new Map<string, string>(),
): void {
  for (const { line, text: ruleText } of ruleLines(text)) {
    try {
      const parsed = parseRule(ruleText, { file, line }, options);
      if (parsed.kind === 'skipped') {
        load.skipped.push(parsed.skipped);
        continue;
      }
      const { rule } = parsed;
      const key = `${rule.gid}:${rule.sid}`;
      const first = seen.get(key);
      if (first !== undefined)
        throw new RuleSyntaxError(`Duplicate sid ${rule.sid} (first at ${first})`, { file, line });
      seen.set(key, `${file}:${line}`);
      load.rules.push(rule);
    } catch (error: unknown) {
      if (!(error instanceof RuleSyntaxError)) throw error;
      load.errors.push(error);
    }
  }
}

/** Rule files and the options they are read with: what `loadRuleFiles` takes, as one value. */
export interface RuleSource {
  readonly paths: readonly string[];
  readonly options: LoadRulesOptions;
}

/** Reads and parses rule files in order; one set of sids across all of them. */
export async function loadRuleFiles(paths: readonly string[], options: LoadRulesOptions = {}): Promise<RuleLoad> {
  const load: RuleLoad = { rules: [], skipped: [], errors: [] };
  const parseOptions = {
    variables: new RuleVariables(options.variables),
    assumeEstablished: options.assumeEstablished === true,
  };
  const seen = new Map<string, string>();
  for (const path of paths) {
    const text = await readFile(path, 'latin1');
    addRuleText(load, text, path, parseOptions, seen);
  }
  return load;
}

/** Finds a file under the package's `data/rules/`, from `src/` or from `dist/src/`. */
function dataFile(name: string): string {
  const candidates = ['../../../data/rules/', '../../../../data/rules/'].map((dir) =>
    fileURLToPath(new URL(dir + name, import.meta.url)),
  );
  return candidates.find((path) => existsSync(path)) ?? candidates[0]!;
}

/** The project's own darknet rule set. */
export const BUNDLED_RULES_PATH: string = dataFile('teiten-darknet.rules');
/** The default category mapping (classtype, msg prefix and sid ranges to report categories). */
export const DEFAULT_CATEGORIES_PATH: string = dataFile('categories.map');
