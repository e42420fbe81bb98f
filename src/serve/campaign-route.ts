/**
 * @module
 * `/api/campaigns?period=P`: the period's scanning campaigns over all
 * sensors, as `teiten campaigns --json` gives them (`analyse/campaign-stats.ts`):
 * each campaign's sources, ports, tools, time and summary, and every link
 * with its reasons as data (`detect/link-reason.ts`) and in words of both
 * languages.
 */

import { campaignStatistics } from '../analyse/index.js';
import type { ApiRoute } from './api-routes.js';
import { periodRef } from './answer-schemas.js';
import { arr, int, num, obj, openObj, str, strEnum, type JsonSchema } from './schema-kit.js';

const kind = (k: string): JsonSchema => strEnum([k]);
/** One of `LinkReason`'s shapes. */
const reason: JsonSchema = {
  oneOf: [
    obj({ kind: kind('port-set'), jaccard: num, ports: arr(str) }),
    obj({ kind: kind('same-prefix'), prefix: str }),
    obj({ kind: kind('together'), startGapSec: num, stopGapSec: num }),
    obj({ kind: kind('rotation'), early: str, late: str, gapSec: num }),
    obj({ kind: kind('same-tool'), tools: arr(str) }),
    obj({ kind: kind('same-ttl'), ttl: int }),
    obj({ kind: kind('same-ip-id'), ipId: int }),
    obj({ kind: kind('same-window'), window: int }),
    obj({ kind: kind('same-source-port'), port: int }),
    obj({ kind: kind('stepping-source-ports') }),
    obj({ kind: kind('masscan-seed'), seed: int, seedKind: strEnum(['number', 'time']) }),
  ],
};
const inWords = obj({ en: arr(str), ja: arr(str) });
const link = obj({ a: str, b: str, score: num, reasons: arr(reason), words: inWords });

export const CAMPAIGN_ROUTE: ApiRoute = {
  path: '/api/campaigns',
  summary:
    "The period's scanning campaigns: scanners linked by port set, timing, source prefix and fingerprints, each link with its reasons",
  query: [
    {
      name: 'period',
      description:
        'month 2007-07, quarter 2010Q2, fiscal quarter FY2010Q1, day 2010-06-01 or range A..B (at most 400 days); default the fiscal quarter of the latest data',
      schema: str,
    },
  ],
  response: openObj({
    period: periodRef,
    sources: int,
    rawPackets: num,
    linkedSources: int,
    campaigns: arr(
      obj({
        sources: arr(str),
        services: arr(str),
        tools: arr(str),
        start: str,
        end: str,
        startSec: num,
        endSec: num,
        packets: num,
        summary: obj({ en: str, ja: str }),
        links: arr(link),
      }),
    ),
  }),
  answer: (ctx) => campaignStatistics(ctx.store, { period: ctx.period }),
};
