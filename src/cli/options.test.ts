import { describe, expect, it } from 'vitest';
import { COMMANDS, type CommandName } from './commands.js';
import { UsageError } from './errors.js';
import { command, flag, oneOf, parsed, parseOptions, requiredText, optionalText, texts } from './options.js';

function one(text: string): number {
  if (text !== '1') throw new RangeError(`must be 1, got '${text}'`);
  return 1;
}

const SHAPE = {
  name: requiredText('NAME is required'),
  label: optionalText(),
  json: flag(),
  lang: oneOf(['en', 'ja']),
  count: parsed(one).optional(),
  sensor: texts(),
};

function messageOf(values: Record<string, unknown>): string {
  try {
    parseOptions(SHAPE, values);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('parseOptions()', () => {
  it('gives typed values, false for an absent flag and undefined for absent options', () => {
    const values = parseOptions(SHAPE, { name: 'tokyo-1', lang: 'ja', count: '1' });
    expect(values).toEqual({ name: 'tokyo-1', json: false, lang: 'ja', count: 1 });
    expect(values.label).toBeUndefined();
    expect(values.sensor).toBeUndefined();
    expect(parseOptions(SHAPE, { name: 'n', lang: 'en', json: true }).json).toBe(true);
  });

  it('keeps every value of a repeated option in order', () => {
    expect(parseOptions(SHAPE, { name: 'n', lang: 'en', sensor: ['b', 'a', 'b'] }).sensor).toEqual(['b', 'a', 'b']);
  });

  it('names the option whose value is bad, with the value', () => {
    expect(messageOf({ name: 'n', lang: 'fr' })).toBe("--lang must be one of en, ja, got 'fr'");
    expect(messageOf({ name: 'n', lang: 'en', count: 'x' })).toBe("--count must be 1, got 'x'");
  });

  it('says a required option is missing or empty', () => {
    expect(messageOf({ lang: 'en' })).toBe('--name NAME is required');
    expect(messageOf({ name: '', lang: 'en' })).toBe('--name NAME is required');
  });

  it('gives a default for an absent option, and says a parsed option without one is required', () => {
    const shape = { top: parsed(one).default(7), level: parsed(one) };
    expect(parseOptions(shape, { level: '1' })).toEqual({ top: 7, level: 1 });
    expect(parseOptions(shape, { top: '1', level: '1' })).toEqual({ top: 1, level: 1 });
    expect(() => parseOptions(shape, {})).toThrow(new UsageError('--level is required'));
  });

  it('refuses an option the shape does not declare', () => {
    expect(messageOf({ name: 'n', lang: 'en', colour: 'red' })).toBe('unknown option --colour');
  });

  it('lets an error other than a RangeError through unchanged', () => {
    const shape = {
      x: parsed(() => {
        throw new TypeError('bug');
      }),
    };
    expect(() => parseOptions(shape, { x: 'a' })).toThrow(TypeError);
  });
});

describe('command()', () => {
  it('runs with the checked values and positionals', async () => {
    let seen: unknown;
    const run = command({ top: parsed(one).optional() }, async (options, positionals) => {
      seen = { options, positionals };
      return 3;
    });
    expect(await run({ top: '1' }, ['a'])).toBe(3);
    expect(seen).toEqual({ options: { top: 1 }, positionals: ['a'] });
    await expect(run({ top: '2' }, [])).rejects.toThrow("--top must be 1, got '2'");
  });
});

describe('COMMANDS', () => {
  it.each(Object.keys(COMMANDS) as CommandName[])(
    '%s: its zod shape names exactly the options commands.ts declares',
    async (name) => {
      const run = await COMMANDS[name].load();
      expect(Object.keys(run.shape).sort()).toEqual(Object.keys(COMMANDS[name].options).sort());
    },
  );
});
