/**
 * @module
 * Why two scanners were linked into one campaign, as data: each piece of
 * evidence `linkOf()` weighed, with the values it compared. The words are
 * the reader's language's (`analyse/campaign-words.ts`), so a report,
 * `teiten campaigns` and the API render the same reasons in Japanese or
 * English.
 */

export type LinkReason =
  /** The two port sets, their Jaccard index (1: identical) and the first source's ports, sorted. */
  | { kind: 'port-set'; jaccard: number; ports: string[] }
  /** Both in one /24, written `11.0.0.0/24`. */
  | { kind: 'same-prefix'; prefix: string }
  /** Started and stopped together: seconds between the starts and between the stops (rounded). */
  | { kind: 'together'; startGapSec: number; stopGapSec: number }
  /** `late` started `gapSec` seconds after `early` stopped (negative: before), rounded. */
  | { kind: 'rotation'; early: string; late: string; gapSec: number }
  | { kind: 'same-tool'; tools: string[] }
  | { kind: 'same-ttl'; ttl: number }
  | { kind: 'same-ip-id'; ipId: number }
  | { kind: 'same-window'; window: number }
  | { kind: 'same-source-port'; port: number }
  /** Source ports stepping by one per probe in both (hping3's default). */
  | { kind: 'stepping-source-ports' }
  /** Both sources' TCP sequence numbers are Masscan SYN cookies under this seed (`masscan-seed.ts`): a number, or a start time. */
  | { kind: 'masscan-seed'; seed: number; seedKind: 'number' | 'time' };
