/**
 * @module
 * The packet families the simulator can plant, as data: protocol, the report
 * category a signature engine should put them in (issue 4's bundled rules,
 * after table 6-1 of the @police report), default services and ports, the
 * sender's operating system profile and how a visit's packets are spaced.
 *
 * `category: null` means no signature is expected to fire on a single packet
 * of the family (a plain SYN to 445/TCP, a DNS answer, backscatter). Such
 * packets still count as accesses under their destination service.
 */

export const SIGNATURE_CATEGORIES = ['Worm', 'Scan', 'Scan(P2P)', 'UDP spam', 'DoS', 'DNS', 'Others'] as const;
export type SignatureCategory = (typeof SIGNATURE_CATEGORIES)[number];

export const OS_PROFILES = ['windows', 'linux', 'bare'] as const;
export type OsProfile = (typeof OS_PROFILES)[number];

export type Transport = 'tcp' | 'udp' | 'icmp';

/** What the packet is from the sensor's point of view (classify's packet class). */
export type PlantedClass = 'probe' | 'response' | 'icmp-error';

export interface PortRange {
  from: number;
  to: number;
}

export interface FamilyInfo {
  readonly transport: Transport;
  readonly description: string;
  readonly category: SignatureCategory | null;
  /** A representative signature name, for people reading truth.json. */
  readonly signature: string | null;
  readonly plantedClass: PlantedClass;
  /** Destination services used when the scenario names none (`445/TCP`). */
  readonly defaultServices: readonly string[] | null;
  /** Random destination ports used when the scenario names no services. */
  readonly defaultDestinationPorts: PortRange | null;
  /** Source port (fixed or range) when the scenario names none; null = the OS's ephemeral range. */
  readonly defaultSourcePort: number | PortRange | null;
  readonly defaultOs: OsProfile;
  /** Seconds from a visit's first packet to each following one (retransmissions, repeats). */
  readonly gaps: readonly number[];
}

/** Windows XP retransmits a SYN after 3 s and again 6 s later. */
const WINDOWS_SYN_GAPS = [3, 9, 21];
/** A Linux server retransmits an unanswered SYN/ACK after 1, 3, 7, 15 s. */
const LINUX_SYNACK_GAPS = [1, 3, 7, 15, 31];
const ONE_SECOND_GAPS = [1, 2, 3, 4, 5, 6, 7];
const HIGH_PORTS: PortRange = { from: 1024, to: 65535 };

function family(
  info: Omit<FamilyInfo, 'defaultServices' | 'defaultDestinationPorts' | 'defaultSourcePort' | 'gaps'> &
    Partial<FamilyInfo>,
): FamilyInfo {
  return {
    defaultServices: null,
    defaultDestinationPorts: null,
    defaultSourcePort: null,
    gaps: ONE_SECOND_GAPS,
    ...info,
  };
}

export const FAMILIES = {
  'syn-scan': family({
    transport: 'tcp',
    description: 'TCP SYN probe (worm or bot scanning a service, e.g. Conficker on 445/TCP)',
    category: null,
    signature: null,
    plantedClass: 'probe',
    defaultOs: 'windows',
    gaps: WINDOWS_SYN_GAPS,
  }),
  'proxy-probe': family({
    transport: 'tcp',
    description: 'TCP SYN to an open-proxy port (8080, 3128, 1080, 8000)',
    category: 'Scan',
    signature: 'Proxy port probe',
    plantedClass: 'probe',
    defaultOs: 'windows',
    gaps: WINDOWS_SYN_GAPS,
    defaultServices: ['8080/TCP', '3128/TCP', '1080/TCP', '8000/TCP'],
  }),
  'ack-probe': family({
    transport: 'tcp',
    description: 'TCP ACK with no connection (ACK ping)',
    category: 'Scan',
    signature: 'TCP ACK ping',
    plantedClass: 'response',
    defaultOs: 'bare',
    defaultServices: ['80/TCP'],
  }),
  'udp-probe': family({
    transport: 'udp',
    description: 'UDP datagram to a service (NetBIOS name query, SNMP, …)',
    category: null,
    signature: null,
    plantedClass: 'probe',
    defaultOs: 'windows',
  }),
  slammer: family({
    transport: 'udp',
    description: 'SQL Slammer worm: one 376-byte datagram to 1434/UDP',
    category: 'Worm',
    signature: 'SQL Slammer',
    plantedClass: 'probe',
    defaultOs: 'windows',
    defaultServices: ['1434/UDP'],
    gaps: [],
  }),
  nachi: family({
    transport: 'icmp',
    description: 'Nachi/Welchia worm: ICMP echo request with 64 bytes of 0xAA',
    category: 'Worm',
    signature: 'Nachi',
    plantedClass: 'probe',
    defaultOs: 'windows',
    defaultServices: ['8/ICMP'],
  }),
  'echo-request': family({
    transport: 'icmp',
    description: 'Plain ICMP echo request (Windows ping payload)',
    category: null,
    signature: null,
    plantedClass: 'probe',
    defaultOs: 'windows',
    defaultServices: ['8/ICMP'],
  }),
  'bittorrent-dht': family({
    transport: 'udp',
    description: 'BitTorrent DHT ping (`d1:ad2:id20:`) to a port a former peer used',
    category: 'Scan(P2P)',
    signature: 'BitTorrent DHT peer-to-peer',
    plantedClass: 'probe',
    defaultOs: 'linux',
    defaultDestinationPorts: HIGH_PORTS,
    gaps: [5, 15, 45],
  }),
  'messenger-popup': family({
    transport: 'udp',
    description: 'Windows Messenger popup spam: MSRPC (DCE/RPC v4) request to 1026–1028/UDP',
    category: 'UDP spam',
    signature: 'MSRPC Popup Message',
    plantedClass: 'probe',
    defaultOs: 'bare',
    defaultServices: ['1026/UDP', '1027/UDP', '1028/UDP'],
    gaps: [0.01, 0.02],
  }),
  'dns-any': family({
    transport: 'udp',
    description: 'DNS query for all records (QTYPE ANY)',
    category: 'DNS',
    signature: 'DNS request made for all records',
    plantedClass: 'probe',
    defaultOs: 'linux',
    defaultServices: ['53/UDP'],
    gaps: [2, 4],
  }),
  traceroute: family({
    transport: 'udp',
    description: 'Traceroute probe: UDP to 33434–33534 with the Unix traceroute payload',
    category: 'Others',
    signature: 'Traceroute',
    plantedClass: 'probe',
    defaultOs: 'linux',
    defaultDestinationPorts: { from: 33434, to: 33534 },
    gaps: [0.01, 0.02],
  }),
  'dns-answer': family({
    transport: 'udp',
    description: 'DNS answer from 53/UDP to a query spoofed with the sensor address (reflection)',
    category: null,
    signature: null,
    plantedClass: 'probe',
    defaultOs: 'linux',
    defaultDestinationPorts: HIGH_PORTS,
    defaultSourcePort: 53,
    gaps: [0.5, 1.5],
  }),
  'time-exceeded': family({
    transport: 'icmp',
    description: 'ICMP time exceeded from a router, quoting a packet spoofed with the sensor address',
    category: null,
    signature: null,
    plantedClass: 'icmp-error',
    defaultOs: 'bare',
    defaultServices: ['11/ICMP'],
    gaps: [],
  }),
  'syn-ack': family({
    transport: 'tcp',
    description: 'SYN/ACK backscatter from a SYN-flood victim answering a spoofed SYN',
    category: null,
    signature: null,
    plantedClass: 'response',
    defaultOs: 'linux',
    gaps: LINUX_SYNACK_GAPS,
  }),
  'rst-ack': family({
    transport: 'tcp',
    description: 'RST/ACK backscatter from a victim port that is closed',
    category: null,
    signature: null,
    plantedClass: 'response',
    defaultOs: 'linux',
    gaps: [],
  }),
  'echo-reply': family({
    transport: 'icmp',
    description: 'ICMP echo reply backscatter from an ICMP-flood victim (no echo was sent)',
    category: 'DoS',
    signature: 'ICMP Echo Reply without Echo',
    plantedClass: 'response',
    defaultOs: 'linux',
    defaultServices: ['0/ICMP'],
    gaps: [],
  }),
} as const satisfies Record<string, FamilyInfo>;

export type FamilyName = keyof typeof FAMILIES;
export const FAMILY_NAMES = Object.keys(FAMILIES) as FamilyName[];

/** Scanner tools whose packets carry a fingerprint (issue 4's detectors look for them). */
export const SCANNER_TOOLS = {
  zmap: 'ZMap: IP ID 54321, TTL from 255, window 65535, no TCP options',
  masscan: 'Masscan: IP ID = (dst ^ dport ^ seq) & 0xffff, window 1024, TTL from 255',
  mirai: 'Mirai: TCP sequence number = destination address, to 23/TCP (and 2323/TCP)',
} as const;
export type ScannerTool = keyof typeof SCANNER_TOOLS;
export const SCANNER_TOOL_NAMES = Object.keys(SCANNER_TOOLS) as ScannerTool[];

interface OsInfo {
  ttl: number;
  window: number;
  ephemeral: PortRange;
  dontFragment: boolean;
}

/** Initial TTL, SYN window, ephemeral ports and DF bit of each sender profile. */
export const OS_INFO: Readonly<Record<OsProfile, OsInfo>> = {
  windows: { ttl: 128, window: 65535, ephemeral: { from: 1025, to: 5000 }, dontFragment: true },
  linux: { ttl: 64, window: 5840, ephemeral: { from: 32768, to: 61000 }, dontFragment: true },
  bare: { ttl: 255, window: 1024, ephemeral: { from: 1024, to: 65535 }, dontFragment: false },
};
