/**
 * @module
 * Help text generated from the command registry.
 */
import { COMMANDS, type CommandName, type CommandSpec } from './commands.js';

export function usage(commandName?: string): string {
  if (commandName !== undefined && commandName in COMMANDS) {
    return commandUsage(COMMANDS[commandName as CommandName]);
  }
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(
    ([name, spec]) => `  ${name.padEnd(width)}  ${(spec as CommandSpec).summary}`,
  );
  return `Usage: teiten <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'teiten <command> --help' for a command's options.\n`;
}

function commandUsage(spec: CommandSpec): string {
  const lines = Object.entries(spec.options).map(([name, option]) => {
    const flag = option.type === 'string' ? `--${name} ${option.value ?? 'VALUE'}` : `--${name}`;
    const fallback = option.default !== undefined && option.type === 'string' ? ` (default ${option.default})` : '';
    return `  ${flag.padEnd(28)} ${option.description}${fallback}`;
  });
  return `Usage: ${spec.synopsis}\n\n${spec.summary}.\n\nOptions:\n${lines.join('\n')}\n`;
}
