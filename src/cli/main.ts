/**
 * @module
 * The `teiten` command line: a thin shell that parses options declared as data
 * in `commands.ts`, lazy-loads the command's module and maps errors to exit codes.
 */
import { parseArgs } from 'node:util';
import { COMMANDS, type CommandName } from './commands.js';
import { formatCliError, UsageError } from './errors.js';
import { usage } from './usage.js';

/** Runs the CLI and resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage(rest[0]));
    return name === undefined ? 2 : 0;
  }
  if (!(name in COMMANDS)) {
    process.stderr.write(`teiten: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  const command = COMMANDS[name as CommandName];
  try {
    const parsed = parseArgs({
      args: [...rest],
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    if (parsed.values.help === true) {
      process.stdout.write(usage(name));
      return 0;
    }
    const run = await command.load();
    return await run(parsed.values, parsed.positionals);
  } catch (error: unknown) {
    process.stderr.write(`${formatCliError(error)}\n`);
    return error instanceof UsageError || isParseArgsError(error) ? 2 : 1;
  }
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof TypeError && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}
