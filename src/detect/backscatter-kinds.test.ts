import { describe, expect, it } from 'vitest';
import type { EnrichedBatch } from '../classify/index.js';
import { buildPacket } from '../simulate/craft/index.js';
import { runPipeline, TrafficBuilder } from '../../test/detect/traffic-kit.js';
import { BACKSCATTER_KIND_NAMES, newBackscatterPacket, readBackscatter, Unattributed } from './backscatter-kinds.js';
import { parseIpv4 } from '../util/ip-address.js';

const SENSOR = parseIpv4('198.18.0.9');
const VICTIM = parseIpv4('203.0.113.5');
const ROUTER = parseIpv4('192.0.2.1');

/** What `readBackscatter` makes of each packet of `traffic`, in order. */
async function read(traffic: TrafficBuilder): Promise<Array<Record<string, unknown>>> {
  const rows: Array<Record<string, unknown>> = [];
  const pkt = newBackscatterPacket();
  await runPipeline(traffic.toPcap(), [
    {
      push(enriched: EnrichedBatch) {
        for (let i = 0; i < enriched.batch.length; i++) {
          const kind = readBackscatter(enriched, i, pkt);
          rows.push({
            kind: BACKSCATTER_KIND_NAMES[kind],
            victim: pkt.victim,
            proto: pkt.proto,
            port: pkt.port,
            sensor: pkt.sensor,
            unattributed: pkt.unattributed,
          });
        }
      },
    },
  ]);
  return rows;
}

describe('readBackscatter()', () => {
  it('readBackscatter() attributes TCP responses and echo replies to their source', async () => {
    const t = new TrafficBuilder();
    t.add({ ts: 1, src: VICTIM, dst: SENSOR, l4: { kind: 'tcp', srcPort: 80, dstPort: 4000, flags: 0x12 } });
    t.add({ ts: 2, src: VICTIM, dst: SENSOR, l4: { kind: 'tcp', srcPort: 6667, dstPort: 4000, flags: 0x04 } });
    t.add({ ts: 3, src: VICTIM, dst: SENSOR, l4: { kind: 'tcp', srcPort: 22, dstPort: 4000, flags: 0x14 } });
    t.add({ ts: 4, src: VICTIM, dst: SENSOR, l4: { kind: 'icmp', type: 0, id: 1, seq: 1 } });
    const common = { victim: VICTIM, sensor: SENSOR, unattributed: Unattributed.NONE };
    expect(await read(t)).toEqual([
      { kind: 'TCP SYN/ACK', proto: 6, port: 80, ...common },
      { kind: 'TCP RST', proto: 6, port: 6667, ...common },
      { kind: 'TCP RST/ACK', proto: 6, port: 22, ...common },
      { kind: 'ICMP echo reply', proto: 1, port: -1, ...common },
    ]);
  });

  it('readBackscatter() attributes ICMP errors to the quoted destination', async () => {
    const t = new TrafficBuilder();
    const udp = {
      ip: { version: 4 as const, src: SENSOR, dst: VICTIM },
      l4: { kind: 'udp' as const, srcPort: 5000, dstPort: 27015 },
    };
    t.icmpError(1, { router: VICTIM, sensor: SENSOR, type: 3, code: 3, quote: udp });
    t.icmpError(2, {
      router: ROUTER,
      sensor: SENSOR,
      type: 11,
      code: 0,
      quote: { ...udp, l4: { kind: 'tcp', srcPort: 5000, dstPort: 443, flags: 2 } },
    });
    t.icmpError(3, {
      router: ROUTER,
      sensor: SENSOR,
      type: 4,
      code: 0,
      quote: { ip: udp.ip, l4: { kind: 'icmp', type: 8 } },
    });
    t.icmpError(4, { router: ROUTER, sensor: SENSOR, type: 5, code: 1, quote: udp });
    t.icmpError(5, { router: ROUTER, sensor: SENSOR, type: 12, code: 0, quote: udp });
    const rows = await read(t);
    expect(rows.map((r) => [r.kind, r.victim, r.proto, r.port])).toEqual([
      ['ICMP unreachable', VICTIM, 17, 27015],
      ['ICMP time exceeded', VICTIM, 6, 443],
      ['ICMP source quench', VICTIM, 1, -1],
      ['ICMP redirect', VICTIM, 17, 27015],
      ['ICMP parameter problem', VICTIM, 17, 27015],
    ]);
  });

  it('readBackscatter() leaves out probes, errors about other sources and IPv6', async () => {
    const t = new TrafficBuilder();
    t.add({ ts: 1, src: VICTIM, dst: SENSOR, l4: { kind: 'tcp', srcPort: 5000, dstPort: 80, flags: 0x02 } });
    t.add({ ts: 2, src: VICTIM, dst: SENSOR, l4: { kind: 'tcp', srcPort: 80, dstPort: 5000, flags: 0x10 } });
    t.add({ ts: 3, src: VICTIM, dst: SENSOR, l4: { kind: 'icmp', type: 8 } });
    t.icmpError(4, {
      router: ROUTER,
      sensor: SENSOR,
      type: 3,
      code: 1,
      quote: { ip: { version: 4, src: ROUTER, dst: VICTIM }, l4: { kind: 'udp', srcPort: 1, dstPort: 2 } },
    });
    t.addFrame(
      5,
      buildPacket({
        link: { kind: 'ethernet' },
        ip: { version: 6, src: '2001:db8::5', dst: '2001:db8::9' },
        l4: { kind: 'tcp', srcPort: 80, dstPort: 5000, flags: 0x12 },
      }),
    );
    const rows = await read(t);
    expect(rows.map((r) => [r.kind, r.unattributed])).toEqual([
      ['none', Unattributed.NONE],
      ['none', Unattributed.NONE],
      ['none', Unattributed.NONE],
      ['none', Unattributed.QUOTE_NOT_FROM_SENSOR],
      ['none', Unattributed.IPV6],
    ]);
  });
});
