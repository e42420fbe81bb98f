/**
 * @module
 * Every `teiten` command declared as data: its options (node:util parseArgs
 * shape), a one-line summary and a lazy loader, so `teiten --help` stays instant
 * and a command pulls in only the stages it needs. Each command module checks
 * the values against its zod shape of the same options (`options.ts`).
 */

type OptionSpec =
  | { type: 'string'; short?: string; multiple?: boolean; default?: string; description: string; value?: string }
  | { type: 'boolean'; short?: string; default?: boolean; description: string };
import type { CommandRun } from './options.js';

export interface CommandSpec {
  summary: string;
  synopsis: string;
  options: Record<string, OptionSpec>;
  load: () => Promise<CommandRun>;
}

/** `--db FILE | --store URL` and `--wait SECONDS`, for every command that opens a store (`store-target.ts`). */
const STORE_OPTIONS = {
  db: { type: 'string', value: 'FILE', description: 'DuckDB file (default teiten.duckdb)' },
  store: {
    type: 'string',
    value: 'URL',
    description: 'store URL instead of --db, e.g. clickhouse://127.0.0.1:8123/teiten',
  },
  wait: {
    type: 'string',
    value: 'SECONDS',
    description:
      'wait up to SECONDS for a DuckDB store another teiten process holds (e.g. a running ingest) instead of failing at once',
  },
} as const satisfies Record<string, OptionSpec>;

/** The collector's options (`collector-options.ts`), for `collector serve` and `serve --collector`. */
const COLLECTOR_OPTIONS = {
  'tls-cert': {
    type: 'string',
    value: 'FILE',
    description: 'PEM certificate (default a self-signed one made once in the data directory)',
  },
  'tls-key': { type: 'string', value: 'FILE', description: 'PEM private key of --tls-cert' },
  'data-dir': {
    type: 'string',
    value: 'DIR',
    description:
      'certificate and uploads in progress (default teiten-collector/ beside the DuckDB file, else ~/.local/share/teiten)',
  },
  queue: {
    type: 'string',
    value: 'N',
    description: 'uploads admitted at once, running and waiting; more get 503 + Retry-After (default 32)',
  },
  'max-segment-bytes': {
    type: 'string',
    value: 'SIZE',
    description: 'largest segment accepted, larger ones get 413 (default 256MiB)',
  },
  'downtime-after': {
    type: 'string',
    value: 'SECONDS',
    description: 'a live sensor silent for longer is recorded as down (default 180)',
  },
} as const satisfies Record<string, OptionSpec>;

/** `--period P` of the statistics commands (`period-scope.ts`). */
const PERIOD_OPTION = {
  type: 'string',
  value: 'P',
  description: 'month 2007-07, quarter 2010Q2, fiscal quarter FY2010Q1, day or A..B (required)',
} as const satisfies OptionSpec;

/** Which sensors a statistic covers (`sensor-selection.ts`): some by name, a named telescope's, or all. */
const SENSOR_SELECTION_OPTIONS = {
  sensor: { type: 'string', multiple: true, value: 'NAME', description: 'only this sensor (repeatable)' },
  telescope: {
    type: 'string',
    value: 'NAME',
    description: 'only the sensors of this telescope (see teiten telescopes)',
  },
} as const satisfies Record<string, OptionSpec>;

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
  rules: {
    summary: 'Check Snort/Suricata rule files, or match rules against captures and count alerts by category',
    synopsis:
      'teiten rules check [FILE...] [--json] | rules match CAPTURE... [--rules FILE]... [--categories FILE]... [--json]',
    options: {
      rules: {
        type: 'string',
        multiple: true,
        value: 'FILE',
        description: 'rule file to add to the bundled set (match; repeatable)',
      },
      categories: {
        type: 'string',
        multiple: true,
        value: 'FILE',
        description: 'category mapping read after the default one (match; repeatable)',
      },
      'no-bundled': { type: 'boolean', description: 'leave out the bundled darknet rules (match)' },
      var: {
        type: 'string',
        multiple: true,
        value: 'NAME=VALUE',
        description: 'set a rule variable, e.g. HOME_NET=[192.0.2.0/24] (repeatable)',
      },
      'assume-established': {
        type: 'boolean',
        description: 'match flow:established rules as if connections were established',
      },
      json: { type: 'boolean', description: 'print JSON instead of text' },
    },
    load: async () => (await import('./rules-command.js')).runRules,
  },
  detect: {
    summary:
      "Detect DoS attacks from backscatter, scanners with tool fingerprints, and reflection abuse; or derive a period's attacks from the store",
    synopsis:
      'teiten detect CAPTURE... --addresses N|--sensor-cidr CIDR [--json] [--attack-… N] [--scan-… N] | detect --period P [--db FILE | --store URL] [--sensor NAME... | --telescope NAME] [--attack-… N] [--scan-… N] [--rerun] [--json]',
    options: {
      addresses: {
        type: 'string',
        value: 'N',
        description: 'addresses the sensor monitors (for extrapolated attack rates)',
      },
      'sensor-cidr': {
        type: 'string',
        multiple: true,
        value: 'CIDR',
        description: 'sensor network (repeatable): sets the address count, ignores responses to other addresses',
      },
      db: { type: 'string', value: 'FILE', description: 'DuckDB file, with --period (default teiten.duckdb)' },
      store: { type: 'string', value: 'URL', description: 'store URL instead of --db, with --period' },
      period: {
        type: 'string',
        value: 'P',
        description: "derive this period's attacks from the store's evidence instead of reading captures",
      },
      sensor: {
        type: 'string',
        multiple: true,
        value: 'NAME',
        description: 'with --period: the telescope is these sensors (repeatable; default all)',
      },
      telescope: {
        type: 'string',
        value: 'NAME',
        description: 'with --period: the sensors of this named telescope (see teiten telescopes)',
      },
      rerun: {
        type: 'boolean',
        description:
          "with --period: record the --attack-… and --scan-… thresholds as the store's, used by every statistic and report",
      },
      json: { type: 'boolean', description: 'print JSON instead of text' },
      'attack-timeout': {
        type: 'string',
        value: 'S',
        description: 'quiet seconds that end a backscatter flow (default 300)',
      },
      'attack-min-packets': {
        type: 'string',
        value: 'N',
        description: 'packets an attack needs over the telescope (default 25)',
      },
      'attack-min-duration': { type: 'string', value: 'S', description: 'seconds an attack must last (default 60)' },
      'attack-min-window-packets': {
        type: 'string',
        value: 'N',
        description: 'packets an attack needs inside some 60 s window (default 30)',
      },
      'scan-min-addresses': {
        type: 'string',
        value: 'N',
        description: 'destination addresses that make a scan wide (default 10)',
      },
      'scan-min-services': {
        type: 'string',
        value: 'N',
        description: 'destination services that make a scan deep (default 10)',
      },
      'scan-narrow': {
        type: 'string',
        value: 'N',
        description: 'at most this many of the other dimension for a horizontal or vertical scan (default 2)',
      },
      'scan-min-tool-packets': {
        type: 'string',
        value: 'N',
        description: 'matching probes a tool tag needs (default 2)',
      },
      'scan-min-tool-fraction': {
        type: 'string',
        value: 'F',
        description: "share of a source's probes that must match a tool, 0..1 (default 0.5)",
      },
      window: { type: 'string', value: 'S', description: 'scanner window in seconds (default 86400)' },
      'time-zone': { type: 'string', value: 'TZ', description: 'time zone of the per-day tables (default UTC)' },
      geoip: { type: 'string', value: 'FILE', description: 'country MMDB (default the bundled one)' },
      top: { type: 'string', value: 'N', description: 'rows per section in text output (default 20)' },
    },
    load: async () => (await import('./detect-command.js')).runDetect,
  },
  ingest: {
    summary: 'Decode, enrich and store captures for a sensor (duplicates and overlaps detected)',
    synopsis:
      'teiten ingest [--db FILE | --store URL] [--wait S] --sensor NAME [--geoip FILE] [--allow-empty] [--allow-overlap] [--keep-truncated] [--rules FILE]... [--categories FILE]... [--no-signatures] [--memory-budget SIZE] [--json] CAPTURE...',
    options: {
      ...STORE_OPTIONS,
      sensor: { type: 'string', value: 'NAME', description: 'sensor the captures were taken at (required)' },
      geoip: { type: 'string', value: 'FILE', description: 'country MMDB (default the bundled one)' },
      'asn-db': { type: 'string', value: 'FILE', description: 'ASN MMDB (default the bundled CSV)' },
      'allow-empty': {
        type: 'boolean',
        description:
          "store a capture that counts no packet, or whose packets mostly go to other addresses than the sensor's (refused by default)",
      },
      'allow-overlap': {
        type: 'boolean',
        description: 'count packets overlapping an ingest whose raw packets are gone, unchecked',
      },
      'keep-truncated': {
        type: 'boolean',
        description:
          'ingest the complete records of a capture cut inside a record (writer died), recording where it ends',
      },
      rules: {
        type: 'string',
        multiple: true,
        value: 'FILE',
        description: 'signature rule file to add to the bundled set (repeatable)',
      },
      categories: {
        type: 'string',
        multiple: true,
        value: 'FILE',
        description: 'category mapping read after the default one (repeatable)',
      },
      'no-bundled': { type: 'boolean', description: 'leave out the bundled darknet rules (needs --rules)' },
      'no-signatures': {
        type: 'boolean',
        description: 'do not run the signature engine (backscatter and scanners still run)',
      },
      json: { type: 'boolean', description: 'print JSON instead of text (no progress bar)' },
      'memory-budget': {
        type: 'string',
        value: 'SIZE',
        description:
          'memory the rollup and detection tables may hold before rows are written (default 384MiB; rows stay invisible until commit)',
      },
    },
    load: async () => (await import('./ingest-command.js')).runIngest,
  },
  ingests: {
    summary: 'List the committed captures (all, or of some sensors): counts, time range, hash, truncation',
    synopsis: 'teiten ingests [--db FILE | --store URL] [--sensor NAME]... [--json]',
    options: {
      ...STORE_OPTIONS,
      sensor: { type: 'string', multiple: true, value: 'NAME', description: 'only this sensor (repeatable)' },
      json: { type: 'boolean', description: 'print JSON instead of text' },
    },
    load: async () => (await import('./ingests-command.js')).runIngests,
  },
  retention: {
    summary:
      'Remove rows older than each table class keeps (raw packets, hourly rollups, source sets, detection evidence); run it periodically',
    synopsis: 'teiten retention [--db FILE | --store URL] [--retention CLASS=DURATION,...] [--dry-run] [--json]',
    options: {
      ...STORE_OPTIONS,
      retention: {
        type: 'string',
        value: 'SPEC',
        description:
          'days kept per class, recorded in the store for later runs: packets=30d,hourly=2y,sources=400d,evidence=forever (d days, w weeks, y 365 days; any subset)',
      },
      'dry-run': { type: 'boolean', description: 'count the rows that would be removed; change nothing' },
      json: { type: 'boolean', description: 'print JSON instead of text' },
    },
    load: async () => (await import('./retention-command.js')).runRetention,
  },
  sensors: {
    summary:
      'Manage sensors: add, list, remove, record downtime; enrol, revoke and watch sensors of the observation network',
    synopsis:
      'teiten sensors add NAME --address CIDR... --from TIME [--label TEXT] [--tz ZONE] | list [--json] | remove NAME [--with-data] | down NAME --from TIME --to TIME [--note TEXT] | enroll NAME --address CIDR... --collector https://HOST:PORT --out NAME.cred [--fingerprint FP | --data-dir D] | revoke NAME | status [NAME...] [--json]',
    options: {
      ...STORE_OPTIONS,
      collector: {
        type: 'string',
        value: 'URL',
        description: 'collector URL written into the credentials, https://HOST:PORT (enroll)',
      },
      out: {
        type: 'string',
        value: 'FILE',
        description: 'credentials file to write, mode 0600, never overwritten (enroll)',
      },
      fingerprint: {
        type: 'string',
        value: 'FP',
        description:
          "collector certificate's SHA-256 fingerprint AB:CD:… (enroll; default read from the data directory)",
      },
      'data-dir': {
        type: 'string',
        value: 'DIR',
        description: "collector data directory holding its certificate (enroll; default as collector serve's)",
      },
      address: {
        type: 'string',
        multiple: true,
        value: 'CIDR',
        description: 'monitored address or block (add; repeatable)',
      },
      label: { type: 'string', value: 'TEXT', description: 'display label (add)' },
      tz: {
        type: 'string',
        value: 'ZONE',
        description: "sensor's IANA time zone for display (add; default the store's)",
      },
      from: {
        type: 'string',
        value: 'TIME',
        description: 'operating since (add: required) or downtime start (down); ISO 8601 with zone or epoch seconds',
      },
      to: { type: 'string', value: 'TIME', description: 'downtime end (down)' },
      note: { type: 'string', value: 'TEXT', description: 'reason for the downtime (down)' },
      'with-data': { type: 'boolean', description: "also delete the sensor's ingested data (remove)" },
      json: { type: 'boolean', description: 'print JSON instead of text' },
    },
    load: async () => (await import('./sensors-command.js')).runSensors,
  },
  telescopes: {
    summary: 'Name sets of sensors that detection and statistics treat as one telescope',
    synopsis: 'teiten telescopes add NAME --sensor NAME... [--label TEXT] | list [--json] | remove NAME',
    options: {
      ...STORE_OPTIONS,
      sensor: {
        type: 'string',
        multiple: true,
        value: 'NAME',
        description: 'a sensor of the telescope (add; repeatable)',
      },
      label: { type: 'string', value: 'TEXT', description: 'description (add)' },
      json: { type: 'boolean', description: 'print JSON (list)' },
    },
    load: async () => (await import('./telescopes-command.js')).runTelescopes,
  },
  sensor: {
    summary: 'Run the observation-point agent: capture (tcpdump) or replay, segment, spool, upload to the collector',
    synopsis:
      'teiten sensor run --credentials NAME.cred (--interface IF [--bpf EXPR] [--include-outbound] | --read FILE|-) --spool DIR [--segment-seconds 60] [--segment-bytes 64MiB] [--spool-max 2GiB] [--heartbeat-seconds 30]',
    options: {
      credentials: {
        type: 'string',
        value: 'FILE',
        description: 'credentials file from `teiten sensors enroll` (collector URL, pinned certificate, secret)',
      },
      interface: { type: 'string', value: 'IF', description: 'capture live on this interface with tcpdump' },
      bpf: { type: 'string', value: 'EXPR', description: 'BPF filter for tcpdump (with --interface)' },
      'include-outbound': {
        type: 'boolean',
        description: "also capture the sensor's own outbound packets (tcpdump without -Q in)",
      },
      read: {
        type: 'string',
        value: 'FILE|-',
        description: 'replay a capture file or stdin instead (no pacing; exits 0 once all is acknowledged)',
      },
      spool: {
        type: 'string',
        value: 'DIR',
        description: 'spool directory: segments wait here (fsynced) until acknowledged',
      },
      'segment-seconds': {
        type: 'string',
        value: 'S',
        description: 'segment length, cut at UTC multiples of S (default 60)',
      },
      'segment-bytes': {
        type: 'string',
        value: 'SIZE',
        description: 'cut a segment earlier when it reaches SIZE (default 64MiB)',
      },
      'spool-max': {
        type: 'string',
        value: 'SIZE',
        description:
          'spool limit; live capture then drops the oldest unsent segments and reports the loss (default 2GiB)',
      },
      'heartbeat-seconds': { type: 'string', value: 'S', description: 'heartbeat interval (default 30)' },
    },
    load: async () => (await import('./sensor-command.js')).runSensor,
  },
  collector: {
    summary: 'Run the collector: sensors upload capture segments and heartbeats over HTTPS, counted exactly once',
    synopsis:
      'teiten collector serve [--db FILE | --store URL] --listen HOST:PORT [--tls-cert F --tls-key F] [--data-dir D] [--queue N] [--max-segment-bytes SIZE] [--downtime-after SECONDS]',
    options: {
      ...STORE_OPTIONS,
      listen: {
        type: 'string',
        value: 'HOST:PORT',
        description: 'address to listen on, e.g. 0.0.0.0:8443 (required; port 0 picks one)',
      },
      ...COLLECTOR_OPTIONS,
    },
    load: async () => (await import('./collector-command.js')).runCollector,
  },
  stats: {
    summary:
      "A period's accesses per day per address and sources per day against the previous period, and a ranking table",
    synopsis:
      'teiten stats [--db FILE | --store URL] --period P [--sensor NAME... | --telescope NAME] [--by service|country|country-service|sensor|…] [--top N] [--json [--offset O] [--limit L]]',
    options: {
      ...STORE_OPTIONS,
      period: PERIOD_OPTION,
      by: {
        type: 'string',
        default: 'service',
        value: 'DIM',
        description:
          'service, country, country-service, sensor, sport-class, country-sport-class, source-port, country-source-port',
      },
      top: { type: 'string', value: 'N', description: 'rows ranked 1..N (default 10)' },
      movers: {
        type: 'string',
        value: 'M',
        description: 'also rows with increase or decrease rank 1..M (default 5; 0 for none)',
      },
      ...SENSOR_SELECTION_OPTIONS,
      'ip-version': {
        type: 'string',
        value: '4|6',
        description: 'only IPv4 or IPv6 packets, per address of that family',
      },
      class: {
        type: 'string',
        multiple: true,
        value: 'CLASS',
        description: 'only packet class probe|response|icmp-error|other (repeatable)',
      },
      service: { type: 'string', value: 'SERVICE', description: 'only this destination service, e.g. 445/TCP, 8/ICMP' },
      country: { type: 'string', value: 'CC', description: 'only sources in this country (ISO code)' },
      lang: { type: 'string', default: 'en', value: 'en|ja', description: 'country names in the text table' },
      json: { type: 'boolean', description: 'print JSON ({ summary, ranking }) instead of text' },
      offset: {
        type: 'string',
        value: 'O',
        description: 'JSON: ranking.rows from the item at O (0-based, default 0); ranking.page.next is the next page',
      },
      limit: {
        type: 'string',
        value: 'L',
        description: 'JSON: at most L items in ranking.rows (default 1000); ranking.page.total counts them all',
      },
    },
    load: async () => (await import('./stats-command.js')).runStats,
  },
  detections: {
    summary:
      "A period's signature detections by category, DoS backscatter and scanner tools against the previous period",
    synopsis:
      'teiten detections [--db FILE | --store URL] --period P [--sensor NAME... | --telescope NAME] [--top N] [--lang en|ja] [--json]',
    options: {
      ...STORE_OPTIONS,
      period: PERIOD_OPTION,
      ...SENSOR_SELECTION_OPTIONS,
      top: { type: 'string', value: 'N', description: 'rows of the country, signature and attack lists (default 10)' },
      lang: { type: 'string', default: 'en', value: 'en|ja', description: 'country names in the text tables' },
      json: {
        type: 'boolean',
        description: 'print JSON ({ signatures, backscatter, scanners, reflection }) instead of text',
      },
    },
    load: async () => (await import('./detections-command.js')).runDetections,
  },
  campaigns: {
    summary:
      "A period's scanning campaigns: scanners linked by port set, timing, source prefix and fingerprints, each link with its reasons",
    synopsis:
      'teiten campaigns [--db FILE | --store URL] --period P [--sensor NAME... | --telescope NAME] [--top N] [--lang en|ja] [--json]',
    options: {
      ...STORE_OPTIONS,
      period: PERIOD_OPTION,
      ...SENSOR_SELECTION_OPTIONS,
      top: {
        type: 'string',
        value: 'N',
        description: 'campaigns listed with their links (default 10; JSON lists all)',
      },
      lang: { type: 'string', default: 'en', value: 'en|ja', description: 'language of the link reasons in the text' },
      json: {
        type: 'boolean',
        description: 'print JSON (campaigns with links and reasons, settings, sources considered) instead of text',
      },
    },
    load: async () => (await import('./campaigns-command.js')).runCampaigns,
  },
  export: {
    summary: 'Write one table of a period (hourly traffic, source sets or raw packets) to Parquet or CSV',
    synopsis:
      'teiten export [--db FILE | --store URL] --period P --format parquet|csv [--table traffic|sources|packets] --out FILE',
    options: {
      ...STORE_OPTIONS,
      period: PERIOD_OPTION,
      format: { type: 'string', value: 'parquet|csv', description: 'file format (required)' },
      table: { type: 'string', default: 'traffic', value: 'traffic|sources|packets', description: 'what to export' },
      sensor: { type: 'string', multiple: true, value: 'NAME', description: 'only this sensor (repeatable)' },
      out: { type: 'string', value: 'FILE', description: 'file to write, replaced if present (required)' },
      json: { type: 'boolean', description: 'print what was written as JSON' },
    },
    load: async () => (await import('./export-command.js')).runExport,
  },
  simulate: {
    summary: 'Generate realistic darknet captures for a scenario, one per sensor, plus truth.json',
    synopsis:
      'teiten simulate --scenario FILE|NAME --out DIR [--seed N] [--scale F] [--format pcap|pcapng] [--json] | simulate --list',
    options: {
      scenario: {
        type: 'string',
        value: 'FILE|NAME',
        description: 'scenario file (YAML or JSON) or bundled scenario name',
      },
      out: { type: 'string', value: 'DIR', description: 'directory for the captures and truth.json' },
      seed: { type: 'string', value: 'N', description: "random seed (default the scenario's)" },
      scale: {
        type: 'string',
        value: 'F',
        description: 'multiply packet counts, keeping shapes and ratios (default 1)',
      },
      format: {
        type: 'string',
        value: 'pcap|pcapng',
        description: "capture format (default the scenario's, else pcap)",
      },
      list: { type: 'boolean', description: 'list the bundled scenarios' },
      json: { type: 'boolean', description: 'print JSON instead of text' },
    },
    load: async () => (await import('./simulate-command.js')).runSimulate,
  },
  demo: {
    summary:
      'The main job on generated data: simulate a quarter, ingest it into DuckDB, write the quarterly report into ./out/',
    synopsis: 'teiten demo [--out DIR] [--scale F] [--no-pdf]',
    options: {
      out: { type: 'string', value: 'DIR', description: 'directory for captures, database and reports (default out)' },
      scale: { type: 'string', value: 'F', description: "multiply the scenario's packet counts (default 1)" },
      'no-pdf': { type: 'boolean', description: 'skip the PDF even when Chromium is installed' },
    },
    load: async () => (await import('./demo-command.js')).runDemo,
  },
  accuracy: {
    summary: "Simulate scenarios, ingest them and compare every published figure with the simulator's truth",
    synopsis: 'teiten accuracy [--scenario NAME|FILE]... [--scale F] [--seed N] [--json]',
    options: {
      scenario: {
        type: 'string',
        multiple: true,
        value: 'NAME|FILE',
        description: 'scenario to check (repeatable; default every bundled scenario)',
      },
      scale: { type: 'string', value: 'F', description: 'multiply packet counts (default 1)' },
      seed: { type: 'string', value: 'N', description: "random seed (default the scenario's)" },
      json: { type: 'boolean', description: 'print JSON instead of text' },
    },
    load: async () => (await import('./accuracy-command.js')).runAccuracy,
  },
  serve: {
    summary: 'Serve the dashboard (Japanese and English pages) and the read-only JSON API over a store',
    synopsis:
      'teiten serve [--db FILE | --store URL] [--listen HOST:PORT] [--rate-limit N] [--admin-token-file F] [--reports-dir D] ' +
      "[--collector HOST:PORT [collector serve's options]] [--quiet]",
    options: {
      ...STORE_OPTIONS,
      listen: { type: 'string', value: 'HOST:PORT', description: 'address to listen on (default 127.0.0.1:8080)' },
      'rate-limit': {
        type: 'string',
        value: 'N',
        description: 'requests per minute per client before 429 (default 600; 0 for no limit)',
      },
      'admin-token-file': {
        type: 'string',
        value: 'FILE',
        description:
          'file holding the token (16+ characters) that opens the admin routes, sent as Authorization: Bearer TOKEN (default: admin routes off)',
      },
      'reports-dir': {
        type: 'string',
        value: 'DIR',
        description:
          'reports archive: listed by /api/reports, written by the admin route (default teiten-reports/ beside the DuckDB file, else ~/.local/share/teiten/reports)',
      },
      collector: {
        type: 'string',
        value: 'HOST:PORT',
        description: 'also run the collector (HTTPS) in this process on HOST:PORT, over the same open store',
      },
      ...COLLECTOR_OPTIONS,
      quiet: { type: 'boolean', description: 'no request log on stdout' },
    },
    load: async () => (await import('./serve-command.js')).runServe,
  },
  report: {
    summary:
      'Compose the quarterly or monthly observation report of a period (Japanese or English; HTML, PDF, JSON or Markdown)',
    synopsis:
      'teiten report [--db FILE | --store URL] --period P [--kind quarterly|monthly] [--lang ja|en] [--format html|pdf|json|md] [--out FILE]',
    options: {
      ...STORE_OPTIONS,
      period: {
        type: 'string',
        value: 'P',
        description: 'month 2007-07, quarter 2010Q2, fiscal quarter FY2010Q1 (required)',
      },
      kind: {
        type: 'string',
        value: 'quarterly|monthly',
        description: 'layout (default: monthly for a month, quarterly for a quarter)',
      },
      lang: { type: 'string', default: 'ja', value: 'ja|en', description: 'language of the report' },
      format: {
        type: 'string',
        default: 'html',
        value: 'html|pdf|json|md',
        description: 'output format (pdf prints with /usr/bin/chromium or TEITEN_CHROMIUM)',
      },
      out: {
        type: 'string',
        value: 'FILE',
        description: 'file to write, replaced if present (default stdout; required for pdf)',
      },
      country: {
        type: 'string',
        value: 'CC',
        description: 'country whose destination ports get their own ratio chart (quarterly; default JP)',
      },
      detections: {
        type: 'string',
        value: 'FILE',
        description:
          'signature and backscatter tables as JSON (report/compose/detection-input.ts), until the store keeps them',
      },
      issued: { type: 'string', value: 'YYYY-MM-DD', description: 'publication date printed on the report' },
      'generated-at': {
        type: 'string',
        value: 'ISO8601',
        description: 'generation time printed in the footer (omitted by default, keeping output byte-identical)',
      },
      publisher: { type: 'string', value: 'TEXT', description: 'issuing organisation printed above the title' },
    },
    load: async () => (await import('./report-command.js')).runReport,
  },
} satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMANDS;
