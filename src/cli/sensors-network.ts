/**
 * @module
 * The observation-network subcommands of `teiten sensors`:
 *
 *     sensors enroll NAME --address CIDR... --collector https://HOST:PORT --out NAME.cred [--fingerprint FP | --data-dir D]
 *     sensors revoke NAME
 *     sensors status [NAME...] [--json]
 *
 * Thin over `collector/enroll.ts` and the store's network records.
 */

import {
  defaultCollectorDir,
  enrollSensor,
  loadStatus,
  storedFingerprint,
  type SensorStatus,
} from '../collector/index.js';
import { SensorNotFoundError, type AnalyticsStore } from '../store/index.js';
import { UsageError } from './errors.js';
import { writeOut } from './output.js';
import type { SensorsOptions } from './sensors-options.js';
import { storeTarget } from './store-target.js';

type Runner = (store: AnalyticsStore, values: SensorsOptions, positionals: string[]) => Promise<void>;

function nameOf(positionals: string[], sub: string): string {
  if (positionals.length !== 2)
    throw new UsageError(`sensors ${sub} takes exactly one NAME, got ${positionals.length - 1} arguments`);
  return positionals[1]!;
}

export const NETWORK_RUNNERS: Record<'enroll' | 'revoke' | 'status', Runner> = {
  async enroll(store, values, positionals) {
    const name = nameOf(positionals, 'enroll');
    const { collector, out } = values;
    if (collector === undefined) throw new UsageError('sensors enroll needs --collector https://HOST:PORT');
    if (out === undefined) throw new UsageError('sensors enroll needs --out FILE for the credentials');
    let { fingerprint } = values;
    if (fingerprint === undefined) {
      const dir = values['data-dir'] ?? defaultCollectorDir(storeTarget(values));
      fingerprint = await storedFingerprint(dir);
      if (fingerprint === undefined)
        throw new UsageError(
          `no collector certificate in ${dir}: start teiten collector serve once, or give --fingerprint FP`,
        );
    }
    const result = await enrollSensor(store, {
      name,
      collector,
      fingerprint: fingerprint.toUpperCase(),
      out,
      nowMs: Date.now(),
      addresses: values.address ?? [],
      ...(values.label === undefined ? {} : { label: values.label }),
      ...(values.tz === undefined ? {} : { timeZone: values.tz }),
    });
    const summary = {
      sensor: result.sensor.name,
      created: result.created,
      revokedKeys: result.revoked,
      credentials: out,
      collector,
      fingerprint,
      addresses: result.sensor.addresses.map((a) => a.cidr),
    };
    if (values.json) await writeOut(`${JSON.stringify(summary, null, 2)}\n`);
    else {
      await writeOut(
        `${result.created ? 'added and enrolled' : 'enrolled'} sensor ${summary.sensor} (${summary.addresses.join(', ')}): credentials in ${out}` +
          `${result.revoked > 0 ? `; ${result.revoked} earlier key(s) revoked` : ''}\n`,
      );
    }
  },

  async revoke(store, values, positionals) {
    const name = nameOf(positionals, 'revoke');
    const sensor = await store.findSensor(name);
    if (sensor === undefined) throw new SensorNotFoundError(name);
    const revoked = await store.network.revokeKeys(sensor.id, Date.now());
    if (values.json) await writeOut(`${JSON.stringify({ sensor: name, revokedKeys: revoked })}\n`);
    else
      await writeOut(
        revoked === 0
          ? `sensor ${name} had no valid key\n`
          : `revoked ${revoked} key(s) of sensor ${name}: its uploads are refused from now on\n`,
      );
  },

  async status(store, values, positionals) {
    const statuses = await loadStatus(store, { names: positionals.slice(1), nowMs: Date.now() });
    if (values.json) await writeOut(`${JSON.stringify(statuses, null, 2)}\n`);
    else await writeOut(statuses.length === 0 ? 'no sensors\n' : `${statuses.map(statusText).join('\n\n')}\n`);
  },
};

function statusText(s: SensorStatus): string {
  const n = (v: number): string => v.toLocaleString('en');
  const hb = s.lastHeartbeat;
  const l = s.losses;
  const lines = [
    `${s.sensor} (credentials ${s.credentials})`,
    hb === null
      ? '  last heartbeat: none'
      : `  last heartbeat: ${hb.receivedAt} (${n(hb.ageSec)} s ago), capture ${hb.capture}${hb.reason === '' ? '' : ` (${hb.reason})`}, ` +
        `spool ${n(hb.spoolSegments)} segments / ${n(hb.spoolBytes)} bytes, clock offset ${n(hb.clockOffsetMs)} ms`,
    `  lag: ${s.lagSec === null ? 'no packets yet' : `${n(s.lagSec)} s since the newest packet received`}`,
    `  segments: ${n(s.segments.received)} (${n(s.segments.live)} live, ${n(s.segments.replay)} replay, ${n(s.segments.empty)} empty), ` +
      `packets ${n(s.packets.received)} received, ${n(s.packets.counted)} counted`,
    `  losses: kernel ${n(l.kernelDropped)} dropped of ${n(l.kernelReceived)}, agent ${n(l.agentDropped)}, ` +
      `spool ${n(l.spoolDroppedSegments)} segments / ${n(l.spoolDroppedPackets)} packets, sequence gaps ${n(l.sequenceGaps)}` +
      `${l.gapRanges.length === 0 ? '' : ` (${l.gapRanges.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(', ')})`}`,
  ];
  for (const d of s.days) {
    lines.push(
      `  ${d.date}: operating ${(d.operatingSec / 3600).toFixed(2)} h, ${n(d.segments)} segments, ${n(d.packets)} packets, ` +
        `drops kernel ${n(d.kernelDropped)} agent ${n(d.agentDropped)} spool ${n(d.spoolDroppedPackets)}, gaps ${n(d.sequenceGaps)}`,
    );
  }
  return lines.join('\n');
}
