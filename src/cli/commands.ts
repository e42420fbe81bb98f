/**
 * @module
 * Every `teiten` command declared as data: its options (node:util parseArgs
 * shape), a one-line summary and a lazy loader, so `teiten --help` stays instant
 * and a command pulls in only the stages it needs.
 */

type OptionSpec =
  | { type: 'string'; short?: string; multiple?: boolean; default?: string; description: string; value?: string }
  | { type: 'boolean'; short?: string; default?: boolean; description: string };

/** A command's run function: parsed option values and positionals in, exit code out. */
export type CommandRun = (values: Record<string, unknown>, positionals: string[]) => Promise<number>;

export interface CommandSpec {
  summary: string;
  synopsis: string;
  options: Record<string, OptionSpec>;
  load: () => Promise<CommandRun>;
}

export const COMMANDS = {
  decode: {
    summary: 'Decode a capture and print one record per packet',
    synopsis: 'teiten decode FILE|- [--format ndjson|csv] [--limit N]',
    options: {
      format: { type: 'string', default: 'ndjson', value: 'ndjson|csv', description: 'output format' },
      limit: { type: 'string', value: 'N', description: 'stop after N packets' },
    },
    load: async () => (await import('./decode-command.js')).runDecode,
  },
  capinfo: {
    summary: 'Summarise captures: packets, bytes, time range, link types, malformed packets',
    synopsis: 'teiten capinfo FILE... [--json]',
    options: {
      json: { type: 'boolean', description: 'print JSON instead of text' },
    },
    load: async () => (await import('./capinfo-command.js')).runCapinfo,
  },
} satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMANDS;
