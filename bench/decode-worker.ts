/**
 * @module
 * The teiten side of the decode benchmark, run as its own process so its peak
 * RSS is measured alone: decode a capture to batches and count packets per
 * protocol and destination port (the work a darknet tally does), then print
 * the counts as JSON for the orchestrator to cross-check.
 */
import { decodeCapture, IpProto } from '../src/decode/index.js';

const PORTS = 65536;

async function run(file: string): Promise<void> {
  const tcp = new Float64Array(PORTS);
  const udp = new Float64Array(PORTS);
  const icmp = new Float64Array(256);
  let other = 0;
  const start = process.hrtime.bigint();
  const { decode } = await decodeCapture(file, {
    onBatch: (batch) => {
      const { proto, dport, icmpType, ipVersion } = batch;
      for (let i = 0; i < batch.length; i++) {
        if (ipVersion[i] === 0) {
          other++;
          continue;
        }
        const p = proto[i];
        if (p === IpProto.TCP) tcp[dport[i]!]!++;
        else if (p === IpProto.UDP) udp[dport[i]!]!++;
        else if (p === IpProto.ICMP) icmp[icmpType[i]!]!++;
        else other++;
      }
    },
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const sum = (a: Float64Array): number => a.reduce((s, v) => s + v, 0);
  const top = (a: Float64Array): number => a.indexOf(Math.max(...a));
  process.stdout.write(
    `${JSON.stringify({
      packets: decode.packets,
      seconds,
      tcp: sum(tcp),
      udp: sum(udp),
      icmp: sum(icmp),
      other,
      topTcpPort: top(tcp),
      // Linux reports KiB: the worker's own peak, apart from any process feeding its stdin.
      maxRssKiB: process.resourceUsage().maxRSS,
    })}\n`,
  );
}

const file = process.argv[2];
if (file === undefined) throw new Error('usage: decode-worker FILE|-');
await run(file);
