/**
 * Real scanner packets, fingerprinted. As root with `ip`, `zmap`, `masscan`,
 * `nmap`, `hping3` and `tcpdump` installed, the test builds two network
 * namespaces joined by a veth pair, using only 198.18.0.0/15 benchmark
 * addresses (RFC 2544): the scanner side holds 198.18.0.1 and one address
 * per tool, and routes the target net 198.18.1.0/24 to the darknet side,
 * where tcpdump records what arrives. No packet can leave the pair: neither
 * namespace has any other interface or route.
 *
 * Each tool scans from its own address; the capture then goes through the
 * real pipeline, and every source must carry its tool's fingerprint (hping3
 * sets the sequence number to the target's address, Mirai's trait; a plain
 * hping3 SYN source must carry none). Skipped, with the reason printed, when
 * any requirement is missing. The namespaces are removed even on failure.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ScannerDetector, type ScannerResult } from '../../src/detect/index.js';
import { runPipeline } from './traffic-kit.js';

const TOOLS = ['ip', 'zmap', 'masscan', 'nmap', 'hping3', 'tcpdump'] as const;
const TAG = `${process.pid % 100_000}`;
const SCAN_NS = `teiten-scan-${TAG}`;
const DARK_NS = `teiten-dark-${TAG}`;
const SCAN_IF = `tts${TAG}`;
const DARK_IF = `ttd${TAG}`;
const ADDR = {
  gateway: '198.18.0.2',
  zmap: '198.18.0.10',
  masscan: '198.18.0.11',
  nmap: '198.18.0.12',
  mirai: '198.18.0.13',
  plain: '198.18.0.14',
};
const TARGET_NET = '198.18.1.0/24';
/** 198.18.1.5 as an unsigned integer: hping3's --setseq for the Mirai trait. */
const MIRAI_TARGET = '198.18.1.5';
const MIRAI_SEQ = ((198 << 24) | (18 << 16) | (1 << 8) | 5) >>> 0;
const TOOL_TIMEOUT_MS = 20_000;

function missing(): string {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not running as root';
  const absent = TOOLS.filter((tool) => {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
      return false;
    } catch {
      return true;
    }
  });
  return absent.length > 0
    ? `missing ${absent.join(', ')} (apt-get install zmap masscan nmap hping3 tcpdump iproute2)`
    : '';
}

const run = (cmd: string, args: readonly string[]): string =>
  execFileSync(cmd, args, { encoding: 'utf8', timeout: TOOL_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] });
const inScanner = (cmd: string, args: readonly string[]): string => run('ip', ['netns', 'exec', SCAN_NS, cmd, ...args]);

/** hping3 exits 1 when nothing answers, which is the point of a darknet. */
function hping3(args: readonly string[]): void {
  const result = spawnSync('ip', ['netns', 'exec', SCAN_NS, 'hping3', ...args], {
    encoding: 'utf8',
    timeout: TOOL_TIMEOUT_MS,
  });
  if (result.status !== 0 && result.status !== 1)
    throw new Error(`hping3 ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
}

function removeNamespaces(): void {
  for (const ns of [SCAN_NS, DARK_NS]) {
    try {
      execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
    } catch {
      // Not created, or already gone.
    }
  }
}

/** The namespace pair; returns the darknet interface's MAC for the raw-socket scanners' gateway option. */
function createNamespaces(): string {
  removeNamespaces();
  run('ip', ['netns', 'add', SCAN_NS]);
  run('ip', ['netns', 'add', DARK_NS]);
  run('ip', ['link', 'add', SCAN_IF, 'netns', SCAN_NS, 'type', 'veth', 'peer', 'name', DARK_IF, 'netns', DARK_NS]);
  run('ip', ['-n', SCAN_NS, 'addr', 'add', '198.18.0.1/24', 'dev', SCAN_IF]);
  for (const a of [ADDR.zmap, ADDR.masscan, ADDR.nmap, ADDR.mirai, ADDR.plain])
    run('ip', ['-n', SCAN_NS, 'addr', 'add', `${a}/24`, 'dev', SCAN_IF]);
  run('ip', ['-n', DARK_NS, 'addr', 'add', `${ADDR.gateway}/24`, 'dev', DARK_IF]);
  run('ip', ['-n', SCAN_NS, 'link', 'set', SCAN_IF, 'up']);
  run('ip', ['-n', DARK_NS, 'link', 'set', DARK_IF, 'up']);
  run('ip', ['-n', SCAN_NS, 'route', 'add', TARGET_NET, 'via', ADDR.gateway]);
  return run('ip', ['netns', 'exec', DARK_NS, 'cat', `/sys/class/net/${DARK_IF}/address`]).trim();
}

/** tcpdump in the darknet namespace, resolved once it is listening. */
function startCapture(file: string): Promise<ChildProcess> {
  const child = spawn(
    'ip',
    ['netns', 'exec', DARK_NS, 'tcpdump', '-i', DARK_IF, '-U', '-n', '-w', file, '-Q', 'in', 'net', TARGET_NET],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`tcpdump did not start: ${err}`)), TOOL_TIMEOUT_MS);
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      if (err.includes('listening on')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on('exit', (code) => reject(new Error(`tcpdump exited with ${code}: ${err}`)));
  });
}

function stopCapture(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function scanAll(gatewayMac: string, emptyBlocklist: string): void {
  // ZMap refuses reserved space by default: give it an empty blocklist for the private target net.
  inScanner('zmap', [
    '-q',
    '-b',
    emptyBlocklist,
    '-i',
    SCAN_IF,
    '-S',
    ADDR.zmap,
    '-G',
    gatewayMac,
    '-p',
    '80',
    '-r',
    '2000',
    '-c',
    '0',
    '-o',
    '/dev/null',
    '198.18.1.0/26',
  ]);
  inScanner('masscan', [
    '-e',
    SCAN_IF,
    '--adapter-ip',
    ADDR.masscan,
    '--router-mac',
    gatewayMac,
    '-p',
    '22,80,443',
    '--rate',
    '2000',
    '--wait',
    '0',
    '198.18.1.0/27',
  ]);
  inScanner('nmap', [
    '-n',
    '-Pn',
    '-sS',
    '-S',
    ADDR.nmap,
    '-e',
    SCAN_IF,
    '--max-retries',
    '0',
    '-p',
    '1-50',
    '--min-rate',
    '2000',
    '198.18.1.9',
  ]);
  hping3([
    '-q',
    '-S',
    '-p',
    '23',
    '-a',
    ADDR.mirai,
    '-c',
    '5',
    '-i',
    'u2000',
    '--setseq',
    String(MIRAI_SEQ),
    MIRAI_TARGET,
  ]);
  hping3(['-q', '-S', '-p', '80', '-a', ADDR.plain, '-c', '5', '-i', 'u2000', '198.18.1.7']);
}

const reason = missing();
if (reason !== '') console.log(`netns scanner test skipped: ${reason}`);

describe.skipIf(reason !== '')('fingerprints of real scanners in a network namespace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'teiten-netns-'));
  afterAll(() => {
    removeNamespaces();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ScannerDetector tags zmap, masscan, nmap and a Mirai-style hping3 source', async (ctx) => {
    let mac: string;
    try {
      mac = createNamespaces();
    } catch (error: unknown) {
      removeNamespaces();
      console.log(`netns scanner test skipped: cannot create namespaces (${(error as Error).message.split('\n')[0]})`);
      ctx.skip();
      return;
    }
    const pcap = join(dir, 'scans.pcap');
    const blocklist = join(dir, 'empty-blocklist');
    writeFileSync(blocklist, '');
    const capture = await startCapture(pcap);
    try {
      scanAll(mac, blocklist);
    } finally {
      await stopCapture(capture);
      removeNamespaces();
    }
    const detector = new ScannerDetector();
    await runPipeline(pcap, [detector]);
    const result: ScannerResult = detector.finish();
    const by = new Map(result.sources.map((s) => [s.source, s]));
    for (const s of result.sources)
      console.log(`${s.source}: ${s.packets} probes, ${s.scanType}, tools [${s.tools.join(', ')}]`);
    expect(by.get(ADDR.zmap)).toMatchObject({ tools: ['zmap'], scanType: 'horizontal', addresses: 64 });
    expect(by.get(ADDR.masscan)).toMatchObject({ tools: ['masscan'], addresses: 32, services: 3 });
    expect(by.get(ADDR.nmap)).toMatchObject({ tools: ['nmap'], scanType: 'vertical', services: 50 });
    expect(by.get(ADDR.mirai)).toMatchObject({ tools: ['mirai'], packets: 5 });
    // The plain hping3 SYNs arrived (64 + 96 + 50 + 5 + 5 probes in all) but match no tool.
    expect(result.stats.probes).toBe(220);
    expect(by.get(ADDR.plain)?.tools ?? []).toEqual([]);
    for (const name of ['zmap', 'masscan', 'nmap', 'mirai'] as const) {
      expect(by.get(ADDR[name])!.evidence.find((e) => e.tool === name)!.fraction).toBe(1);
    }
  }, 60_000);
});
