/**
 * @module
 * What every route needs besides the request, built once by `buildServer`.
 */

import type { Period } from '../analyse/index.js';
import type { AnalyticsStore } from '../store/index.js';
import type { AnswerCache } from './answer-cache.js';
import type { FigureMemo } from './figure-memo.js';

export interface ServeContext {
  store: AnalyticsStore;
  /** `?period=` parsed in the store's zone, or the latest data's fiscal quarter. */
  periodOf: (text: string | undefined) => Promise<Period>;
  /** Finished answers by URL (`answer-cache.ts`). */
  cache: AnswerCache;
  /** Whole rankings whose pages are answered (`figure-memo.ts`). */
  figures: FigureMemo;
  /** Where reports are archived and listed from; null: no archive. */
  reportsDir: string | null;
  /** The collector enrolled sensors upload to, and its certificate's fingerprint, when known. */
  enrolment: { collector?: string; fingerprint?: string };
  /** The store's name printed in generated reports (a file's base name, never credentials). */
  databaseName: string;
}
