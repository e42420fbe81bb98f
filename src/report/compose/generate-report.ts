/**
 * @module
 * `generateReport()`: a period's report as bytes, composed and rendered the
 * one way `teiten report` and the dashboard's admin route both use: the
 * detection tables from the store unless given, the layout the period's
 * shape implies unless named.
 */

import type { Period } from '../../analyse/index.js';
import type { AnalyticsStore } from '../../store/index.js';
import { renderReport, type RenderOptions, type ReportFormat } from '../formats.js';
import type { ComposeOptions } from './compose-options.js';
import { composeReport, type ComposableKind } from './compose-report.js';
import { detectionInputFromStore } from './detection-from-store.js';

export interface GeneratedReport {
  kind: ComposableKind;
  bytes: Uint8Array;
}

export async function generateReport(
  store: AnalyticsStore,
  period: Period,
  options: ComposeOptions & { kind?: ComposableKind; format: ReportFormat; render?: RenderOptions },
): Promise<GeneratedReport> {
  const { format, render, ...compose } = options;
  const detections = compose.detections ?? (await detectionInputFromStore(store, period));
  const doc = await composeReport(store, period, { ...compose, detections });
  return {
    kind: doc.meta.kind === 'monthly' ? 'monthly' : 'quarterly',
    bytes: await renderReport(doc, format, render),
  };
}
