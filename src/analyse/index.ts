/**
 * @module
 * The analytics stage: periods, period statistics, breakdowns, ranking
 * tables against the previous period, daily series and exports, all over
 * `AnalyticsStore.query()` so DuckDB and ClickHouse give the same figures.
 * Result types (`types.ts`) are plain JSON data for the report and findings
 * stages.
 */

export {
  lastMonths,
  parsePeriod,
  PeriodError,
  previousPeriod,
  type ParsePeriodOptions,
  type Period,
  type PeriodDay,
  type PeriodKind,
} from '../util/period.js';
export {
  rankItems,
  selectTableRows,
  topWithOther,
  type RankItem,
  type RankOptions,
  type RankRow,
  type ShareRow,
  type TableSelection,
} from './ranking.js';
export type {
  AppliedFilter,
  Breakdown,
  BreakdownItem,
  Change,
  DailySeries,
  Dimension,
  ItemLabel,
  PacketClassName,
  PeriodRef,
  PeriodSummary,
  PeriodTotals,
  RankingRow,
  RankingTable,
  SensorUse,
  SeriesItem,
  ShareItem,
  StatsFilter,
  ChangeTest,
  RankingUncertainty,
  RateBounds,
  RateUncertainty,
  RowUncertainty,
} from './types.js';
export { type DayCounts, type RateInterval } from './rate-interval.js';
export { type RateChangeTest } from './change-test.js';
export { StatsInputError } from './errors.js';
export { DIMENSION_NAMES, type DimensionDef } from './dimensions.js';
export { PACKET_CLASS_CODES } from './scope.js';
export { periodSummary, type PeriodStatsOptions } from './period-summary.js';
export { breakdown, type BreakdownOptions } from './breakdown.js';
export { rankingTable, rankingTables, type RankingOptions, type RankingTablesOptions } from './ranking-table.js';
export { DEFAULT_PAGE_ROWS, pageOfRanking, type RankingTablePage, type RowsPage } from './ranking-page.js';
export { dailySeries, sensorOverview, type DailySeriesOptions, type SensorOverviewOptions } from './daily-series.js';
export { EXPORT_TABLES, type ExportColumn, type ExportTable, type ExportTableName } from './export-tables.js';
export { EXPORT_FORMATS, type ExportFormat } from './table-writers.js';
export { exportPeriod, type ExportOptions, type ExportResult } from './export-period.js';
export type {
  AttackItem,
  BackscatterCountryItem,
  BackscatterShareItem,
  BackscatterStatistics,
  BackscatterTotals,
  VictimItem,
  CategoryRow,
  CategorySeries,
  CountryDetections,
  CountryRef,
  DetectionMethod,
  RuleSetUse,
  ScannerItem,
  ScannerStatistics,
  ScannerToolItem,
  SignatureItem,
  SignatureStatistics,
  SignatureTotals,
} from './detection-types.js';
export { detectionScopes, type DetectionFilter } from './detection-scope.js';
export { readScanSettings, recordScanSettings, telescopeScanners } from './telescope-scanners.js';
export {
  readAttackSettings,
  recordAttackSettings,
  telescopeAttacks,
  type TelescopeAttacks,
} from './backscatter-attacks.js';
export { signatureStatistics, type SignatureStatsOptions } from './signature-stats.js';
export { backscatterStatistics, type BackscatterStatsOptions } from './backscatter-stats.js';
export { scannerStatistics, type ScannerStatsOptions } from './scanner-stats.js';
export { liveMinutes, MAX_LIVE_MINUTES, type LiveMinute } from './live-minutes.js';
export { type TelescopeReflection } from './reflection-episodes.js';
export {
  reflectionStatistics,
  type ReflectionItem,
  type ReflectionServiceTotal,
  type ReflectionStatistics,
  type ReflectionStatsOptions,
} from './reflection-stats.js';
export { type TelescopeCampaigns } from './campaigns.js';
export { campaignStatistics, type CampaignItem, type CampaignStatistics } from './campaign-stats.js';
export { linkReasonText, type CampaignLanguage } from './campaign-words.js';
export {
  sourceProfile,
  type SourceAttack,
  type SourceProfile,
  type SourceScannerWindow,
  type SourceSignatureDay,
} from './source-profile.js';
export {
  findFindings,
  selectHeadlines,
  withContributors,
  type ChangeClaim,
  type Finding,
  type FindingKind,
  type FindingContributor,
  type Contributors,
  type Localized,
  type RankingInput,
  type SeriesInput,
} from './findings.js';
export { SCAN_SETTINGS_KEY } from './telescope-scanners.js';
