/**
 * @module
 * A command's options as a zod object: `command(shape, run)` checks the
 * values parseArgs found against the shape once, at the CLI edge, and hands
 * `run` typed values. A bad value becomes a `UsageError` naming the option,
 * e.g. `--top must be a whole number of at least 1, got 'x'`. The parseArgs
 * declarations (types, help text) stay in `commands.ts` as plain data so
 * `teiten --help` loads no zod; `options.test.ts` checks that every
 * command's shape names exactly the options `commands.ts` declares.
 */
import { z } from 'zod';
import { UsageError } from './errors.js';

/** A command's run function: option values and positionals in, exit code out; `shape` is its options' schema. */
export interface CommandRun {
  (values: Record<string, unknown>, positionals: string[]): Promise<number>;
  readonly shape: z.ZodRawShape;
}

/** The typed values of an options shape. */
export type OptionValues<S extends z.ZodRawShape> = z.output<z.ZodObject<S>>;

/** A string option, absent when not given. */
export function optionalText(): z.ZodOptional<z.ZodString> {
  return z.string().optional();
}

/** A string option that must be given and not empty; `message` follows the option's name. */
export function requiredText(message: string): z.ZodString {
  return z.string({ error: () => message }).min(1, { error: () => message });
}

/** A repeatable string option: every value given, absent when none was. */
export function texts(): z.ZodOptional<z.ZodArray<z.ZodString>> {
  return z.array(z.string()).optional();
}

/** A boolean option: true when given. */
export function flag(): z.ZodPipe<z.ZodOptional<z.ZodBoolean>, z.ZodTransform<boolean, boolean | undefined>> {
  return z
    .boolean()
    .optional()
    .transform((given) => given === true);
}

/** One of `choices`. */
export function oneOf<T extends string>(choices: readonly T[]): z.ZodPipe<z.ZodString, z.ZodTransform<T, string>> {
  return parsed((value) => {
    if (!(choices as readonly string[]).includes(value))
      throw new RangeError(`must be one of ${choices.join(', ')}, got '${value}'`);
    return value as T;
  });
}

/**
 * A string turned into a value by `parse`, which throws a `RangeError`
 * saying what the text must be (the option's name is added here).
 */
export function parsed<T>(parse: (text: string) => T): z.ZodPipe<z.ZodString, z.ZodTransform<Awaited<T>, string>> {
  return z.string({ error: () => 'is required' }).transform((value, ctx) => {
    try {
      return parse(value);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      ctx.addIssue({ code: 'custom', message: error.message, input: value });
      return z.NEVER;
    }
  }) as z.ZodPipe<z.ZodString, z.ZodTransform<Awaited<T>, string>>;
}

/** The values checked against `shape`; the first problem is thrown as a `UsageError` naming its option. */
export function parseOptions<S extends z.ZodRawShape>(shape: S, values: Record<string, unknown>): OptionValues<S> {
  const result = z.strictObject(shape).safeParse(values);
  if (result.success) return result.data as OptionValues<S>;
  throw new UsageError(issueText(result.error.issues[0]!));
}

function issueText(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown option ${issue.keys.map((k) => `--${k}`).join(', ')}`;
  const option = issue.path[0];
  return option === undefined ? issue.message : `--${String(option)} ${issue.message}`;
}

/** A command whose options are `shape`: `run` gets them typed and checked. */
export function command<S extends z.ZodRawShape>(
  shape: S,
  run: (options: OptionValues<S>, positionals: string[]) => Promise<number>,
): CommandRun {
  return Object.assign(
    async (values: Record<string, unknown>, positionals: string[]) => run(parseOptions(shape, values), positionals),
    { shape },
  );
}
