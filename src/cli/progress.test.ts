import { PassThrough } from 'node:stream';
import type { WriteStream } from 'node:tty';
import { describe, expect, it } from 'vitest';
import { ProgressBar, progressBar } from './progress.js';

function terminal(columns: number): { out: WriteStream; text: () => string } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  Object.assign(stream, { isTTY: true, columns });
  return { out: stream as unknown as WriteStream, text: () => chunks.join('') };
}

describe('ProgressBar', () => {
  it('update() draws percent of bytes, packets and rate on one line, and clear() erases it', () => {
    const { out, text } = terminal(100);
    const bar = new ProgressBar(out, { terminal: true });
    bar.update({ label: 'a.pcap', bytesRead: 50, totalBytes: 200, packets: 1234 });
    bar.update({ label: 'a.pcap', bytesRead: 60, totalBytes: 200, packets: 1300 }); // within 100 ms: not drawn
    bar.clear();
    const drawn = text();
    expect(drawn).toMatch(
      /^\ra\.pcap \[######------------------\]  25% 1,234 pkts [\d.]+ (M|k)?pkt\/s\x1b\[K\r\x1b\[K$/,
    );
    expect(drawn).not.toMatch(/1,300/);
  });

  it('update() shortens a long label to fit the terminal and omits the bar without a size', () => {
    const { out, text } = terminal(40);
    new ProgressBar(out, { terminal: true }).update({
      label: `/very/long/path/${'x'.repeat(60)}.pcap`,
      bytesRead: 5,
      totalBytes: undefined,
      packets: 7,
    });
    const line = text()
      .replace(/\x1b\[K/g, '')
      .replace('\r', '');
    expect(line.length).toBeLessThan(40);
    expect(line).toMatch(/^….*x\.pcap 7 pkts/);
    expect(line).not.toMatch(/\[/);
  });

  it('off a terminal, update() writes whole lines when due (every update at 0 s), and nothing for a short run', () => {
    const { out, text } = terminal(100);
    const log = new ProgressBar(out, { terminal: false, everySeconds: 0 });
    log.update({ label: 'a.pcap', bytesRead: 50, totalBytes: 200, packets: 1234 });
    log.update({ label: 'a.pcap', bytesRead: 200, totalBytes: 200, packets: 5000, phase: 'commit' });
    log.clear();
    const lines = text().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^teiten: a\.pcap \[######------------------\]  25% 1,234 pkts [\d.]+ (M|k)?pkt\/s, \d+ s$/,
    );
    expect(lines[1]).toMatch(/^teiten: a\.pcap .* 100% 5,000 pkts .* — writing and committing, \d+ s$/);
    expect(text()).not.toMatch(/\r|\x1b/);
    const quiet = terminal(100);
    const hourly = new ProgressBar(quiet.out, { terminal: false, everySeconds: 3600 });
    hourly.update({ label: 'a.pcap', bytesRead: 50, totalBytes: 200, packets: 1234 });
    hourly.update({ label: 'a.pcap', bytesRead: 200, totalBytes: 200, packets: 5000, phase: 'commit' });
    expect(quiet.text()).toBe('');
  });

  it('progressBar() gives nothing when disabled', () => {
    expect(progressBar(false)).toBeUndefined();
    expect(progressBar(true)).toBeInstanceOf(ProgressBar);
  });
});
