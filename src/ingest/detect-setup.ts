/**
 * @module
 * `loadDetectionSetup()`: what the ingest's detection stage runs with,
 * loaded once for many captures: the signature rules (the bundled darknet
 * set plus `--rules` files) and the category mapping (the default plus
 * `--categories` files), each file with its SHA-256 so an ingest records
 * exactly which rules it matched with, and the scanner thresholds. Attack
 * thresholds are the telescope's, applied when attacks are derived. Rules
 * are parsed here; every ingest compiles its own engine, so threshold state
 * never leaks from one capture into another.
 *
 * A rule file with a syntax error stops the setup (the analyst asked for
 * that rule); a rule with an unsupported keyword is skipped and listed.
 */

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  BUNDLED_RULES_PATH,
  CategoryMap,
  DEFAULT_CATEGORIES_PATH,
  loadRuleFiles,
  type RuleSource,
  type ScannerOptions,
  type SignatureRule,
  type SkippedRule,
} from '../detect/index.js';

/** A file detection read, as the ingest records it. */
export interface DetectionFile {
  /** The bundled files by name (their install path varies), others as given. */
  file: string;
  sha256: string;
}

export interface RuleFileLoad extends DetectionFile {
  rules: number;
  skipped: number;
}

export interface SignatureSetup {
  rules: readonly SignatureRule[];
  skipped: readonly SkippedRule[];
  categories: CategoryMap;
  ruleFiles: readonly RuleFileLoad[];
  categoryFiles: readonly DetectionFile[];
  /** SHA-256 over the rule files' hashes, in order: one value names the rule set. */
  rulesSha256: string;
  /** How these rules were loaded, so a decode thread can load the same ones (`ThreadRules`). */
  source: RuleSource;
}

export interface DetectionSetup {
  /** Null: the signature engine does not run (`--no-signatures`). */
  signatures: SignatureSetup | null;
  scanners: ScannerOptions;
}

export interface DetectionSetupOptions {
  /** Run the signature engine (default true). */
  signatures?: boolean;
  /** Include the bundled darknet rules (default true). */
  bundledRules?: boolean;
  /** More rule files, after the bundled ones. */
  ruleFiles?: readonly string[];
  /** Category mappings read after the default one. */
  categoryFiles?: readonly string[];
  /** Rule variables (`HOME_NET` …). */
  variables?: Readonly<Record<string, string>>;
  scanners?: ScannerOptions;
}

export const DetectionSetupErrorCode = {
  /** A rule file has syntax errors, or no rule file was left. */
  RULES: 'TEITEN_DETECTION_RULES',
} as const;

/** The rules cannot be used as given; `file` and `line` name the first problem. */
export class DetectionSetupError extends Error {
  override readonly name = 'DetectionSetupError';
  readonly code = DetectionSetupErrorCode.RULES;
  readonly file: string | null;
  readonly line: number | null;

  constructor(message: string, where: { file: string | null; line: number | null; cause?: unknown }) {
    super(message, where.cause === undefined ? {} : { cause: where.cause });
    this.file = where.file;
    this.line = where.line;
  }
}

/** Loads and hashes the rule and category files; throws `DetectionSetupError` on a rule syntax error. */
export async function loadDetectionSetup(options: DetectionSetupOptions = {}): Promise<DetectionSetup> {
  const common = { scanners: { ...options.scanners } };
  if (options.signatures === false) return { signatures: null, ...common };
  const paths = [...(options.bundledRules === false ? [] : [BUNDLED_RULES_PATH]), ...(options.ruleFiles ?? [])];
  if (paths.length === 0) {
    throw new DetectionSetupError(
      'Cannot load signatures: no rule file (the bundled rules are left out and none was given)',
      { file: null, line: null },
    );
  }
  const source: RuleSource = {
    paths,
    options: options.variables === undefined ? {} : { variables: options.variables },
  };
  const load = await loadRuleFiles(source.paths, source.options);
  const first = load.errors[0];
  if (first !== undefined) {
    throw new DetectionSetupError(
      `Cannot load signatures: ${load.errors.length} rule syntax error(s), first: ${first.message}`,
      {
        file: first.file,
        line: first.line,
        cause: first,
      },
    );
  }
  const categoryPaths = [DEFAULT_CATEGORIES_PATH, ...(options.categoryFiles ?? [])];
  const categories = await CategoryMap.load(categoryPaths);
  const ruleFiles = await Promise.all(
    paths.map(async (path): Promise<RuleFileLoad> => ({
      ...(await describeFile(path)),
      rules: load.rules.filter((r) => r.origin.file === path).length,
      skipped: load.skipped.filter((s) => s.file === path).length,
    })),
  );
  const categoryFiles = await Promise.all(categoryPaths.map(describeFile));
  const rulesSha256 = createHash('sha256')
    .update(ruleFiles.map((f) => f.sha256).join('\n'))
    .digest('hex');
  return {
    signatures: { rules: load.rules, skipped: load.skipped, categories, ruleFiles, categoryFiles, rulesSha256, source },
    ...common,
  };
}

async function describeFile(path: string): Promise<DetectionFile> {
  const bytes = await readFile(path);
  const bundled = path === BUNDLED_RULES_PATH || path === DEFAULT_CATEGORIES_PATH;
  return { file: bundled ? basename(path) : path, sha256: createHash('sha256').update(bytes).digest('hex') };
}

let defaultSetup: Promise<DetectionSetup> | undefined;

/** The setup with every default (bundled rules and mapping), loaded once per process. */
export function defaultDetectionSetup(): Promise<DetectionSetup> {
  defaultSetup ??= loadDetectionSetup().catch((error: unknown) => {
    defaultSetup = undefined;
    throw error;
  });
  return defaultSetup;
}
