/**
 * @module
 * The report kinds as a name-keyed registry (the CLI's `--kind` choices),
 * and the default kind of a period: a month gets the monthly layout, a
 * quarter or fiscal quarter the quarterly one.
 */

import type { Period } from '../../analyse/index.js';
import type { AnalyticsStore } from '../../store/index.js';
import type { ReportDocument } from '../document.js';
import { composeMonthly } from './compose-monthly.js';
import type { ComposeOptions } from './compose-options.js';
import { composeQuarterly } from './compose-quarterly.js';
import { ComposeError } from './errors.js';

export const REPORT_KINDS = {
  quarterly: {
    description: 'quarterly report (@police layout), compared with the previous quarter',
    compose: composeQuarterly,
  },
  monthly: { description: 'monthly report (TALOT2 layout), compared with the previous month', compose: composeMonthly },
} as const;

export type ComposableKind = keyof typeof REPORT_KINDS;

/** The layout a period's shape implies; throws `ComposeError` for a day or a range, which need one named. */
export function reportKindOf(period: Period): ComposableKind {
  switch (period.kind) {
    case 'month':
      return 'monthly';
    case 'quarter':
    case 'fiscal-quarter':
      return 'quarterly';
    case 'day':
    case 'range':
      throw new ComposeError(
        'kind',
        `cannot be inferred from the ${period.kind} ${period.label}: name one (quarterly or monthly)`,
      );
  }
}

/** Composes the `kind` report of `period` (default: the kind its shape implies). */
export async function composeReport(
  store: AnalyticsStore,
  period: Period,
  options: ComposeOptions & { kind?: ComposableKind },
): Promise<ReportDocument> {
  const kind = options.kind ?? reportKindOf(period);
  return REPORT_KINDS[kind].compose(store, period, options);
}
