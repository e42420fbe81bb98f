/**
 * @module
 * `prunedNotice()`: the line a period command prints on stderr when
 * retention (`teiten retention`) has removed rows of days the period, or the
 * period before it that every statistic compares with, covers: those
 * figures are missing, not zero, and the reader is told which classes and
 * from which day on the store holds everything.
 */
import { previousPeriod, type Period } from '../analyse/index.js';
import type { AnalyticsStore, RetentionClass } from '../store/index.js';
import { formatLocalDate } from '../util/tz.js';

/** The notice, or null when every class holds every day of both periods. */
export function prunedNotice(store: AnalyticsStore, period: Period): string | null {
  const first = previousPeriod(period).startDay;
  const kept = store.settings.keptFromDay;
  const pruned = (Object.keys(kept) as RetentionClass[]).filter((name) => {
    const from = kept[name];
    return from !== null && first < from;
  });
  if (pruned.length === 0) return null;
  const parts = pruned.map((name) => `${name} before ${formatLocalDate(kept[name]!)}`);
  return (
    `note: retention removed ${parts.join(', ')}; figures of ${period.label} or of the period before it ` +
    'that come from those rows are missing, not zero'
  );
}
