/**
 * @module
 * Errors of the simulate stage. A scenario problem names the file and the
 * field path (`populations[2].countries.XX`), so the user can go straight to
 * the line; several problems are reported together.
 */

export const ScenarioErrorCode = {
  /** The file is not valid YAML or JSON. */
  SYNTAX: 'TEITEN_SCENARIO_SYNTAX',
  /** The file parses but breaks the schema or a rule that needs context. */
  INVALID: 'TEITEN_SCENARIO_INVALID',
  /** No such file and no bundled scenario of that name. */
  NOT_FOUND: 'TEITEN_SCENARIO_NOT_FOUND',
} as const;
export type ScenarioErrorCodeValue = (typeof ScenarioErrorCode)[keyof typeof ScenarioErrorCode];

export interface ScenarioIssue {
  /** Dotted field path with indices, e.g. `events[0].end`; `(scenario)` for the whole file. */
  readonly path: string;
  readonly message: string;
}

const MAX_ISSUES_IN_MESSAGE = 8;

export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
  readonly code: ScenarioErrorCodeValue;
  /** File path, bundled name, or `(inline)`. */
  readonly source: string;
  readonly issues: readonly ScenarioIssue[];

  constructor(
    code: ScenarioErrorCodeValue,
    source: string,
    issues: readonly ScenarioIssue[],
    options?: { cause?: unknown },
  ) {
    const shown = issues.slice(0, MAX_ISSUES_IN_MESSAGE).map((i) => `${i.path}: ${i.message}`);
    if (issues.length > MAX_ISSUES_IN_MESSAGE) shown.push(`and ${issues.length - MAX_ISSUES_IN_MESSAGE} more`);
    super(`Cannot use scenario ${source}: ${shown.join('; ')}`, options);
    this.code = code;
    this.source = source;
    this.issues = issues;
  }
}

/** Formats a path array (`['events', 0, 'end']`) as `events[0].end`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(scenario)' : out;
}

/** Collects problems found while compiling, to throw them all at once. */
export class IssueList {
  readonly issues: ScenarioIssue[] = [];

  add(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  throwIfAny(source: string): void {
    if (this.issues.length > 0) throw new ScenarioError(ScenarioErrorCode.INVALID, source, this.issues);
  }
}
