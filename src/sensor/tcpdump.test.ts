/**
 * `Tcpdump` with the real Debian tcpdump on the loopback interface: the pcap
 * stream carries the datagrams sent, with the agent's default direction
 * filter too, and SIGUSR1 statistics are parsed. Skips with a printed reason
 * without root or tcpdump.
 */
import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { readCapture } from '../capture/index.js';
import { haveCommand } from '../util/have-command.js';
import { Tcpdump, tcpdumpArgs } from './tcpdump.js';

const canCapture = process.getuid?.() === 0 && haveCommand('tcpdump');
if (!canCapture) console.log('tcpdump.test: live case skipped, needs root and tcpdump');

describe('tcpdumpArgs()', () => {
  it('tcpdumpArgs() leaves outbound packets out unless asked, and passes the filter as one argument', () => {
    expect(tcpdumpArgs({ iface: 'eth1', bpf: 'udp and port 53', includeOutbound: false })).toEqual([
      '-i',
      'eth1',
      '-w',
      '-',
      '-U',
      '-n',
      '-Q',
      'in',
      'udp and port 53',
    ]);
    expect(tcpdumpArgs({ iface: 'eth1', includeOutbound: true })).toEqual(['-i', 'eth1', '-w', '-', '-U', '-n']);
  });
});

describe.skipIf(!canCapture)('Tcpdump on lo', () => {
  it('Tcpdump streams the datagrams sent and reports kernel counts on SIGUSR1', async () => {
    const receiver = createSocket('udp4');
    await new Promise<void>((resolve) => receiver.bind(0, '127.0.0.1', resolve));
    const port = receiver.address().port;
    // The agent's default `-Q in` sees datagrams sent over lo (measured with Linux 6.18, tcpdump 4.99.3: 3 datagrams
    // gave 3 captured with `-Q in` and with no direction, 0 with `-Q out`), so a loopback sensor needs no exception.
    const tcpdump = new Tcpdump({ iface: 'lo', bpf: `udp and dst port ${port}`, includeOutbound: false });
    let packets = 0;
    let started!: () => void;
    const listening = new Promise<void>((resolve) => (started = resolve));
    const reading = readCapture(tcpdump.stdout, { onRecord: () => void packets++, onChunk: () => started() });
    await listening; // the pcap header arrived: tcpdump is capturing
    const sender = createSocket('udp4');
    for (let i = 0; i < 20; i++)
      await new Promise<void>((resolve) => sender.send('x', port, '127.0.0.1', () => resolve()));
    sender.close();
    await new Promise((r) => setTimeout(r, 100));
    const stats = await tcpdump.stats();
    // Counted by the kernel at once; written by tcpdump only when the ring block is handed over (stop() waits for it).
    expect(stats?.received).toBeGreaterThanOrEqual(20);
    expect(stats?.dropped).toBe(0);
    tcpdump.stop();
    await reading;
    expect(packets).toBe(20);
    expect((await tcpdump.exited).state).toBe('stopped');
    receiver.close();
  });

  it('Tcpdump reports an interface that does not exist as interface-down with its reason', async () => {
    const tcpdump = new Tcpdump({ iface: 'teiten-nonexistent0', includeOutbound: false });
    tcpdump.stdout.resume();
    const exit = await tcpdump.exited;
    expect(exit.state).toBe('interface-down');
    expect(exit.reason).toMatch(/No such device/);
  });
});
