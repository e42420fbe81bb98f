/**
 * @module
 * Reading a scenario: a file path or the name of a bundled scenario
 * (`data/scenarios/<name>.yaml`), YAML or JSON text, validated against
 * `scenarioSchema` with every problem reported by field path.
 */

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { formatPath, ScenarioError, ScenarioErrorCode, type ScenarioIssue } from './errors.js';
import { scenarioSchema, type Scenario } from './scenario-schema.js';

const SCENARIO_DIR = join('data', 'scenarios');
const SCENARIO_EXTENSIONS = ['.yaml', '.yml', '.json'];
/** How far up from this module to look for the package's `data/` (src/simulate or dist/src/simulate). */
const MAX_PARENT_LEVELS = 5;

export interface LoadedScenario {
  scenario: Scenario;
  /** The file read. */
  path: string;
}

/** Directory of the bundled scenarios. */
export function bundledScenarioDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let level = 0; level < MAX_PARENT_LEVELS; level++) {
    const candidate = join(dir, SCENARIO_DIR);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new ScenarioError(ScenarioErrorCode.NOT_FOUND, SCENARIO_DIR, [
    { path: '(scenario)', message: 'the bundled scenario directory is missing from the package' },
  ]);
}

/** Names of the bundled scenarios, sorted. */
export function bundledScenarioNames(): string[] {
  return readdirSync(bundledScenarioDir())
    .filter((file) => SCENARIO_EXTENSIONS.includes(extname(file)))
    .map((file) => file.slice(0, -extname(file).length))
    .sort();
}

/** The file for `fileOrName`: an existing path, else a bundled scenario name. */
export function resolveScenarioPath(fileOrName: string): string {
  if (existsSync(fileOrName) && statSync(fileOrName).isFile()) return resolve(fileOrName);
  if (/^[a-z0-9][a-z0-9_.-]*$/.test(fileOrName)) {
    const dir = bundledScenarioDir();
    for (const ext of SCENARIO_EXTENSIONS) {
      const candidate = join(dir, `${fileOrName}${ext}`);
      if (existsSync(candidate)) return candidate;
    }
  }
  const known = bundledScenarioNames().join(', ');
  throw new ScenarioError(ScenarioErrorCode.NOT_FOUND, fileOrName, [
    { path: '(scenario)', message: `no such file, and no bundled scenario of that name (bundled: ${known})` },
  ]);
}

/** Reads and validates a scenario file or bundled scenario. */
export function loadScenario(fileOrName: string): LoadedScenario {
  const path = resolveScenarioPath(fileOrName);
  const text = readFileSync(path, 'utf8');
  return { scenario: parseScenarioText(text, { source: path, json: extname(path) === '.json' }), path };
}

/** Parses YAML (or JSON, with `json: true`) text and validates it. */
export function parseScenarioText(text: string, options: { source?: string; json?: boolean } = {}): Scenario {
  const source = options.source ?? '(inline)';
  let value: unknown;
  if (options.json === true) {
    try {
      value = JSON.parse(text);
    } catch (cause) {
      throw new ScenarioError(
        ScenarioErrorCode.SYNTAX,
        source,
        [{ path: '(scenario)', message: cause instanceof Error ? cause.message : String(cause) }],
        { cause },
      );
    }
  } else {
    const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length > 0) {
      throw new ScenarioError(
        ScenarioErrorCode.SYNTAX,
        source,
        doc.errors.map((e) => ({ path: '(scenario)', message: e.message.split('\n')[0]! })),
      );
    }
    value = doc.toJS();
  }
  return validateScenario(value, source);
}

/** Validates a parsed value (e.g. an object built in code). */
export function validateScenario(value: unknown, source = '(inline)'): Scenario {
  const result = scenarioSchema.safeParse(value);
  if (!result.success)
    throw new ScenarioError(ScenarioErrorCode.INVALID, source, result.error.issues.map(describeIssue));
  return result.data;
}

/** One zod issue as path + message, looking inside unions and record keys for the real cause. */
function describeIssue(issue: z.core.$ZodIssue): ScenarioIssue {
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    // Report the branch that got furthest: the one whose first problem lies deepest.
    const best = issue.errors
      .map((branch) => branch[0])
      .filter((first): first is z.core.$ZodIssue => first !== undefined)
      .sort((a, b) => b.path.length - a.path.length)[0];
    if (best !== undefined && best.path.length > 0)
      return describeIssue({ ...best, path: [...issue.path, ...best.path] });
    return { path: formatPath(issue.path), message: 'has the wrong type or shape' };
  }
  if (issue.code === 'invalid_key' && issue.issues.length > 0) {
    return { path: formatPath(issue.path), message: `key ${issue.issues[0]!.message}` };
  }
  return { path: formatPath(issue.path), message: issue.message };
}
