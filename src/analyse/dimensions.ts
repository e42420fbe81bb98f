/**
 * @module
 * The name-keyed registry of breakdown dimensions (style rule 13): which key
 * columns an item is made of and which rows hold them. The CLI's `--by`
 * choices are `keyof typeof DIMENSIONS`.
 *
 * - Rollup dimensions read `traffic_hour` for packets and `source_day` for
 *   sources. `source_day` keeps service and country per source and day but no
 *   source port, so the source-port-class dimensions have no sources.
 * - Source port classes (`sport-class.ts` in the store) keep ports below
 *   1024 and every non-probe port exactly, but fold a probe's unprivileged
 *   port into `eph/TCP`/`eph/UDP`. For a probe's exact source port ("9415/TCP
 *   from source port 6000") use `source-port`, which reads raw packets and so
 *   covers only days within raw retention.
 * - `sensor` divides each sensor's packets by that sensor's own address-days;
 *   every other dimension divides by the whole selection's.
 */

import type { KeyColumn } from './item-keys.js';
import type { RowSource } from './queries.js';
import type { Dimension } from './types.js';

export interface DimensionDef {
  readonly description: string;
  readonly source: RowSource;
  readonly columns: readonly KeyColumn[];
  /** Whether the rows used for sources carry the key columns. */
  readonly hasSources: boolean;
  /** Divide by each item's own sensor's address-days (only `sensor`). */
  readonly perSensorDivisor: boolean;
}

export const DIMENSIONS: Readonly<Record<Dimension, DimensionDef>> = {
  service: {
    description: 'destination service: 445/TCP, 1434/UDP, 8/ICMP (ICMP by type)',
    source: 'rollup',
    columns: ['service'],
    hasSources: true,
    perSensorDivisor: false,
  },
  country: {
    description: 'source country (ISO 3166 alpha-2)',
    source: 'rollup',
    columns: ['country'],
    hasSources: true,
    perSensorDivisor: false,
  },
  'country-service': {
    description: 'source country × destination service',
    source: 'rollup',
    columns: ['country', 'service'],
    hasSources: true,
    perSensorDivisor: false,
  },
  sensor: {
    description: 'observation point, per address of that sensor',
    source: 'rollup',
    columns: ['sensor_id'],
    hasSources: true,
    perSensorDivisor: true,
  },
  'sport-class': {
    description: 'source port class: exact below 1024 and for responses, eph/TCP|UDP for other probes',
    source: 'rollup',
    columns: ['sport_class'],
    hasSources: false,
    perSensorDivisor: false,
  },
  'country-sport-class': {
    description: 'source country × source port class',
    source: 'rollup',
    columns: ['country', 'sport_class'],
    hasSources: false,
    perSensorDivisor: false,
  },
  'source-port': {
    description: 'exact source port, from raw packets (days within raw retention only)',
    source: 'raw',
    columns: ['src_service'],
    hasSources: true,
    perSensorDivisor: false,
  },
  'country-source-port': {
    description: 'source country × exact source port, from raw packets (days within raw retention only)',
    source: 'raw',
    columns: ['country', 'src_service'],
    hasSources: true,
    perSensorDivisor: false,
  },
};

/** The dimension names, for CLI choices and validation. */
export const DIMENSION_NAMES = Object.keys(DIMENSIONS) as Dimension[];

export function isDimension(name: string): name is Dimension {
  return Object.hasOwn(DIMENSIONS, name);
}
