import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadRuleFiles } from '../detect/index.js';
import { tempDir, writeTemp } from '../ingest/testdata/captures.js';
import { RulesChangedError, ThreadMatcher, threadRules } from './thread-rules.js';

const rule = (sid: number, rev: number, port: number): string =>
  `alert tcp any any -> $HOME_NET ${port} (msg:"probe ${port}"; flags:S; sid:${sid}; rev:${rev};)\n`;

describe('ThreadMatcher.load()', () => {
  it('compiles the same rules, in the same order, with the same variables', async () => {
    const file = writeTemp(tempDir(), 'a.rules', Buffer.from(rule(9000001, 1, 445) + rule(9000002, 1, 23)));
    const source = { paths: [file], options: { variables: { HOME_NET: '192.0.2.0/24' } } };
    const load = await loadRuleFiles(source.paths, source.options);
    const { engine } = await ThreadMatcher.load(threadRules(load.rules, source));
    expect(engine.rules.map((r) => r.sid)).toEqual([9000001, 9000002]);
    // The variables reach the decode thread: $HOME_NET is the given network there too.
    expect(engine.rules[0]!.dst?.text).toBe(load.rules[0]!.dst?.text);
    expect(engine.rules[0]!.dst?.text).toContain('192.0.2.0/24');
  });

  it('refuses rules that changed after the ingest loaded them, naming the first that differs', async () => {
    const file = writeTemp(tempDir(), 'b.rules', Buffer.from(rule(9000001, 1, 445) + rule(9000002, 1, 23)));
    const source = { paths: [file], options: {} };
    const spec = threadRules((await loadRuleFiles(source.paths)).rules, source);
    writeFileSync(file, rule(9000001, 1, 445) + rule(9000002, 2, 23));
    const changed = await ThreadMatcher.load(spec).catch((error: unknown) => error);
    expect(changed).toBeInstanceOf(RulesChangedError);
    expect(changed).toMatchObject({ index: 1, code: 'TEITEN_RULES_CHANGED' });
    expect((changed as Error).message).toContain('rule 2 is gid:sid:rev 1:9000002:2 on the decode thread');
    writeFileSync(file, rule(9000001, 1, 445));
    await expect(ThreadMatcher.load(spec)).rejects.toThrow(/rule 2 is missing on the decode thread/);
  });
});
