/**
 * @module
 * Typed errors of the signature engine. A rule that cannot be parsed is a
 * `RuleSyntaxError` naming the file and line; a rule that parses but uses a
 * keyword this engine does not implement is not an error: the parser throws
 * `UnsupportedRuleError` internally and the loader records it as skipped,
 * with the keyword, so no rule is ever matched differently from its text.
 */

/** Where a rule came from, for every message about it. */
export interface RuleOrigin {
  file: string;
  /** 1-based line of the rule's first physical line. */
  line: number;
}

/** A rule (or variable, or category entry) whose text cannot be parsed. */
export class RuleSyntaxError extends SyntaxError {
  readonly code = 'TEITEN_RULE_SYNTAX';
  readonly file: string;
  readonly line: number;
  /** The rule's sid when it was readable before the fault. */
  readonly sid: number | null;

  constructor(message: string, context: RuleOrigin & { sid?: number | null }, options?: { cause?: unknown }) {
    super(`${context.file}:${context.line}: ${message}${context.sid ? ` (sid ${context.sid})` : ''}`, options);
    this.name = 'RuleSyntaxError';
    this.file = context.file;
    this.line = context.line;
    this.sid = context.sid ?? null;
  }
}

/**
 * A rule uses a keyword (or protocol, or option value) the engine does not
 * implement. Caught by the loader and turned into a `SkippedRule`.
 */
export class UnsupportedRuleError extends Error {
  readonly code = 'TEITEN_RULE_UNSUPPORTED';
  /** The keyword as written in the rule (`http.uri`, `flow:established`, `protocol http` …). */
  readonly keyword: string;
  readonly reason: string;

  constructor(keyword: string, reason: string) {
    super(`Cannot match rule statelessly: ${keyword}: ${reason}`);
    this.name = 'UnsupportedRuleError';
    this.keyword = keyword;
    this.reason = reason;
  }
}

/** A bad option value inside one rule; the parser adds file, line and sid. */
export class RuleValueError extends Error {
  readonly code = 'TEITEN_RULE_VALUE';
  constructor(message: string) {
    super(message);
    this.name = 'RuleValueError';
  }
}

/** A category mapping file that cannot be parsed. */
export class CategoryMapError extends SyntaxError {
  readonly code = 'TEITEN_CATEGORY_MAP';
  readonly file: string;
  readonly line: number;

  constructor(message: string, context: RuleOrigin) {
    super(`${context.file}:${context.line}: ${message}`);
    this.name = 'CategoryMapError';
    this.file = context.file;
    this.line = context.line;
  }
}
