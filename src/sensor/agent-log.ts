/**
 * @module
 * One log line per agent event, `TIME EVENT key=value…`, on stderr: what
 * journald (or a test) reads. Values with spaces are JSON-quoted so a line
 * still splits on spaces.
 */

export type LogFields = Record<string, string | number | boolean | undefined>;
export type AgentLog = (event: string, fields?: LogFields) => void;

const PLAIN_VALUE = /^[^\s"=]+$/;

export function formatLogLine(event: string, fields: LogFields = {}, now = new Date()): string {
  let line = `${now.toISOString()} ${event}`;
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const text = String(value);
    line += ` ${key}=${PLAIN_VALUE.test(text) ? text : JSON.stringify(text)}`;
  }
  return line;
}

/** A logger writing to a stream (stderr by default). */
export function streamLog(stream: NodeJS.WritableStream = process.stderr): AgentLog {
  return (event, fields) => {
    stream.write(`${formatLogLine(event, fields)}\n`);
  };
}
