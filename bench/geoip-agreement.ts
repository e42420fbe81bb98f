/**
 * @module
 * `npm run bench:geoip-agreement [-- NAME=PATH …]`: how often country
 * sources agree on the source addresses teiten meets: those of every bundled
 * scenario (simulated at BENCH_SCALE, default 0.05) and of the real captures
 * in ../shared/captures (TEITEN_CAPTURES). A source is a country MMDB, or a
 * Tor `geoip` range file (Debian `tor-geoipdb`, from the IPFire Location
 * database). The bundled database is always compared, with the sources
 * named as arguments and /usr/share/tor/geoip when installed.
 *
 * The simulator draws its sources from the bundled database's networks, so
 * on scenario addresses the bundled database agrees with itself by
 * construction: there the figure says how far another source places the same
 * networks elsewhere. The captures' sources were assigned by nobody here.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COUNTRY_UNKNOWN, openCountryDb, unpackCountry } from '../src/classify/index.js';
import { isSpecialUseIpv4 } from '../src/classify/special-use.js';
import { decodeCapture } from '../src/decode/index.js';
import { bundledScenarioNames, simulateScenario } from '../src/simulate/index.js';
import { pairAgreements, rangeCountryCsv, type CountrySource } from './country-agreement.js';

const TOR_GEOIP = '/usr/share/tor/geoip';
const root = fileURLToPath(new URL('../../', import.meta.url));
const capturesDir = process.env.TEITEN_CAPTURES ?? resolve(root, '../shared/captures');
const scale = Number(process.env.BENCH_SCALE ?? 0.05);

function mmdbSource(name: string, path?: string): CountrySource {
  const db = openCountryDb(path);
  return {
    name,
    country: (addr) => {
      const packed = db.lookup.lookup4(addr);
      return packed === COUNTRY_UNKNOWN ? '' : unpackCountry(packed);
    },
  };
}

function source(arg: string): CountrySource {
  const at = arg.indexOf('=');
  if (at < 1) throw new Error(`Cannot use source "${arg}": write NAME=PATH`);
  const name = arg.slice(0, at);
  const path = arg.slice(at + 1);
  return path.endsWith('.mmdb')
    ? mmdbSource(name, path)
    : { name, country: rangeCountryCsv(readFileSync(path, 'utf8'), path) };
}

const sources = [mmdbSource('bundled'), ...process.argv.slice(2).map(source)];
if (existsSync(TOR_GEOIP) && !process.argv.slice(2).some((a) => a.endsWith(`=${TOR_GEOIP}`)))
  sources.push({ name: 'ipfire (tor-geoipdb)', country: rangeCountryCsv(readFileSync(TOR_GEOIP, 'utf8'), TOR_GEOIP) });
if (sources.length < 2) {
  throw new Error(`Cannot compare: one source only (install Debian's tor-geoipdb, or name sources as NAME=PATH)`);
}

/** Distinct public IPv4 source addresses of the captures in `files`. */
async function sourcesOf(files: readonly string[]): Promise<Set<number>> {
  const seen = new Set<number>();
  for (const file of files) {
    await decodeCapture(file, {
      onBatch: (batch) => {
        for (let i = 0; i < batch.length; i++) {
          const addr = batch.src4[i]!;
          if (batch.ipVersion[i] === 4 && !isSpecialUseIpv4(addr)) seen.add(addr);
        }
      },
    });
  }
  return seen;
}

const sets: { name: string; addresses: Set<number> }[] = [];
const work = mkdtempSync(join(tmpdir(), 'teiten-geoip-agreement-'));
try {
  for (const scenario of bundledScenarioNames()) {
    const out = join(work, scenario);
    const result = await simulateScenario(scenario, { outDir: out, scale });
    sets.push({ name: `scenario ${scenario} ×${scale}`, addresses: await sourcesOf(result.files.map((f) => f.path)) });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
if (existsSync(capturesDir)) {
  const files = readdirSync(capturesDir).filter((f) => /\.pcap(ng)?$/.test(f));
  for (const f of files) sets.push({ name: `capture ${f}`, addresses: await sourcesOf([join(capturesDir, f)]) });
  const all = new Set(sets.filter((s) => s.name.startsWith('capture ')).flatMap((s) => [...s.addresses]));
  sets.push({ name: 'all captures', addresses: all });
} else {
  console.log(`(captures skipped: ${capturesDir} is absent)`);
}

const percent = (part: number, whole: number): string => (whole === 0 ? '—' : `${((100 * part) / whole).toFixed(1)} %`);
console.log(`sources: ${sources.map((s) => s.name).join(', ')}`);
for (const set of sets) {
  console.log(`\n${set.name}: ${set.addresses.size.toLocaleString('en-US')} distinct public IPv4 sources`);
  for (const p of pairAgreements(sources, set.addresses)) {
    console.log(
      `  ${p.a} ~ ${p.b}: ${percent(p.same, p.both)} agree (${p.same} of ${p.both} both answered; ${p.oneSided} answered by one only)`,
    );
  }
}
