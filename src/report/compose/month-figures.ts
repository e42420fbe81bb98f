/**
 * @module
 * The monthly report's per-observation-point figures, month by month, from
 * the per-sensor daily overview: accesses per day per address (Σ packets ÷ Σ
 * address-days) and distinct sources per day per observation point (Σ over
 * sensors and observed days of each day's distinct sources ÷ the number of
 * sensor-days observed). An observation point is a sensor; for one-address
 * sensors, as in the published monthly report, the two describe one
 * computer's day.
 */

import type { DailySeries, Period } from '../../analyse/index.js';
import { parseLocalDate } from '../../util/tz.js';

export interface MonthFigures {
  /** `YYYY-MM`. */
  month: string;
  packets: number;
  /** Observation points (sensors) that observed at some time in the month. */
  points: number;
  perDayPerAddress: number | null;
  /** Null when nothing was observed or the store has no source sets. */
  sourcesPerDayPerPoint: number | null;
}

export function monthFigures(overview: DailySeries, months: readonly Period[]): MonthFigures[] {
  const dayIndex = overview.dates.map((d) => parseLocalDate(d));
  return months.map((month) => {
    let packets = 0;
    let addressDays = 0;
    let sources = 0;
    let sensorDays = 0;
    let points = 0;
    let haveSources = true;
    for (const item of overview.items) {
      let observed = false;
      dayIndex.forEach((day, i) => {
        if (day < month.startDay || day >= month.endDay) return;
        const divisor = item.addressDays[i] ?? 0;
        packets += item.packets[i] ?? 0;
        addressDays += divisor;
        if (divisor <= 0) return;
        observed = true;
        sensorDays += 1;
        const s = item.sources[i];
        if (s === null || s === undefined) haveSources = false;
        else sources += s;
      });
      if (observed) points += 1;
    }
    return {
      month: month.label,
      packets,
      points,
      perDayPerAddress: addressDays > 0 ? packets / addressDays : null,
      sourcesPerDayPerPoint: sensorDays > 0 && haveSources ? sources / sensorDays : null,
    };
  });
}
