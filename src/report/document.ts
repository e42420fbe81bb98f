/**
 * @module
 * The report document model: plain, JSON-serialisable data that every
 * renderer (HTML, Markdown, JSON, PDF) reads. A composer builds one from the
 * analytics results; `--format json` writes it out unchanged.
 *
 * Traceability: numbers in sentences are not typed into the text. A paragraph
 * holds `ValueRef` inlines that point at a table cell or a chart point, and
 * the renderer prints the value it finds there, so a sentence can never say
 * something its table does not. `checkDocument` rejects refs that resolve to
 * nothing.
 *
 * Determinism: the model holds no clock readings; `meta.generatedAt` is
 * printed only when the composer sets it. Ids are chosen by the composer.
 */

/** Languages the reports are written in. */
export const REPORT_LANGUAGES = ['ja', 'en'] as const;
export type Language = (typeof REPORT_LANGUAGES)[number];

/** Version tag of this model; bump when a field changes meaning. */
export const DOCUMENT_SCHEMA = 'teiten.report/1';

export type ReportKind = 'quarterly' | 'monthly' | 'custom';

export interface ReportDocument {
  schema: typeof DOCUMENT_SCHEMA;
  meta: ReportMeta;
  /** The two or three most significant findings, shown as bullets under the title. */
  headlines: Inline[][];
  sections: Section[];
}

/** A reporting period as printed: dates are local `YYYY-MM-DD`, `end` inclusive. */
export interface PeriodInfo {
  /** Canonical period text (`FY2010Q1`, `2007-07`, …). */
  label: string;
  /** The period's printed name, e.g. 平成22年度第1四半期 / FY2010 Q1. */
  title: string;
  start: string;
  end: string;
  timeZone: string;
}

export interface ReportMeta {
  kind: ReportKind;
  language: Language;
  title: string;
  /** Printed under the title, e.g. "(2010年4月～6月)". */
  subtitle?: string;
  /** Issuing organisation or observation network name. */
  publisher?: string;
  period: PeriodInfo;
  previousPeriod?: PeriodInfo;
  /** Publication date `YYYY-MM-DD`, printed top right as in the published reports. */
  issued?: string;
  /** ISO 8601 instant; printed only when given (keeps output deterministic otherwise). */
  generatedAt?: string;
  source: SourceInfo;
  geoip?: GeoIpInfo;
}

export interface SourceInfo {
  /** Store backend, e.g. `duckdb` or `clickhouse`. */
  store: string;
  /** Database file or name the report was computed from. */
  database: string;
  /** Free text, e.g. sensor count or ingest range. */
  detail?: string;
}

export interface GeoIpInfo {
  database: string;
  /** Data date `YYYY-MM-DD`. */
  date: string;
  attribution?: string;
}

export interface Section {
  /** Anchor id, unique in the document; `[A-Za-z][A-Za-z0-9_.-]*`. */
  id: string;
  /** Printed number: `2`, `2-1`, `2.1.3` (the composer picks the style of the layout). */
  number?: string;
  title: string;
  blocks: Block[];
  sections?: Section[];
}

export type Block = ParagraphBlock | ListBlock | TableBlock | ChartBlock | NoteBlock;

export interface ParagraphBlock {
  kind: 'paragraph';
  content: Inline[];
}

export interface ListBlock {
  kind: 'list';
  ordered?: boolean;
  items: Inline[][];
}

/** A footnote or remark, printed small, e.g. "当データは、小数点第二位で四捨五入…". */
export interface NoteBlock {
  kind: 'note';
  /** Footnote mark, e.g. `1` or `*`. */
  mark?: string;
  content: Inline[];
}

/** How a column's values are printed. */
export type ColumnKind = 'rank' | 'text' | 'code' | 'number' | 'percent' | 'change';

/** Unit words appended to quantities: 件/個 in Japanese (see `format.ts`). */
export type UnitKey = 'count' | 'address' | 'packet' | 'none';

export interface TableColumn {
  /** Key of the cell in each row's `cells`. */
  key: string;
  label: string;
  kind: ColumnKind;
  /** Decimals for `number`, `percent` and the absolute part of `change`. */
  decimals?: number;
  unit?: UnitKey;
}

/** Change against the previous period: absolute and percent (null when the previous value is 0). */
export interface ChangeValue {
  abs: number;
  pct: number | null;
}

/**
 * A cell: a number for rank/number/percent columns, a `ChangeValue` for
 * change columns, text for text/code columns; `null` is printed blank. A
 * string in a numeric column is printed as is (e.g. 圏外).
 */
export type CellValue = string | number | null | ChangeValue;

export interface TableRow {
  /** Row key, unique within the table: what `ValueRef`s name (e.g. `445/TCP`, `JP`). */
  key: string;
  cells: Record<string, CellValue>;
}

export interface TableBlock {
  kind: 'table';
  id: string;
  /** Printed number after 表/Table, e.g. `2-1`. */
  number?: string;
  caption: string;
  columns: TableColumn[];
  rows: TableRow[];
  notes?: Inline[][];
}

export type ChartKind = 'line' | 'bar' | 'stacked-bar' | 'hbar' | 'stacked-hbar' | 'pie';

/** How category labels are read: `date` = `YYYY-MM-DD`, `month` = `YYYY-MM`, printed per language. */
export type CategoryKind = 'date' | 'month' | 'text';

export interface ChartSeries {
  key: string;
  name: string;
  /** One value per category; null = no data (gap in a line). */
  values: (number | null)[];
  /** The "other" series: drawn in plain light grey. */
  other?: boolean;
}

export interface SeriesChartSpec {
  type: Exclude<ChartKind, 'pie'>;
  categories: string[];
  categoryKind?: CategoryKind;
  series: ChartSeries[];
  xLabel?: string;
  yLabel?: string;
  /** Decimals of value labels and axis ticks. */
  decimals?: number;
  /** Stacked charts only: scale every category to 100%. */
  percent?: boolean;
  /** Print each bar's value next to it (hbar top-N). */
  valueLabels?: boolean;
  /** A shaded horizontal band across the plot, e.g. the period mean's 95 % interval, with its legend text. */
  band?: { low: number; high: number; label: string };
  width?: number;
  height?: number;
}

export interface PieSlice {
  key: string;
  name: string;
  value: number;
  other?: boolean;
}

export interface PieChartSpec {
  type: 'pie';
  slices: PieSlice[];
  donut?: boolean;
  width?: number;
  height?: number;
}

export type ChartSpec = SeriesChartSpec | PieChartSpec;

export interface ChartBlock {
  kind: 'chart';
  id: string;
  /** Printed number after 図/Figure, e.g. `2-1`. */
  number?: string;
  caption: string;
  chart: ChartSpec;
  /** `half`: two charts side by side in print (figures 4-1/4-2 of the quarterly report). */
  layout?: 'full' | 'half';
  notes?: Inline[][];
}

/** Inline content: plain text, or one of the structured inlines. */
export type Inline = string | ValueRef | CrossRef | LinkInline | CodeInline | StrongInline;

/** A table cell; `part` picks the absolute or percent half of a change cell. */
export interface CellTarget {
  table: string;
  row: string;
  column: string;
  part?: 'abs' | 'pct';
}

/** A chart point: `series` is omitted for pie charts, whose slices `point` names by key. */
export interface ChartTarget {
  chart: string;
  series?: string;
  /** Category label (series charts) or slice key (pie). */
  point: string;
  /** `share`: the pie slice's percentage of the whole instead of its value. */
  part?: 'value' | 'share';
}

export type ValueStyle = 'number' | 'percent' | 'rank' | 'change';

/** How a referenced value is printed in a sentence. */
export interface ValueFormat {
  /** Default: from the column kind (cells) or `number` (charts). */
  style?: ValueStyle;
  decimals?: number;
  unit?: UnitKey;
  /** Print the magnitude only: the sentence carries the direction (増加/減少). */
  magnitude?: boolean;
}

export interface ValueRef {
  kind: 'value';
  ref: CellTarget | ChartTarget;
  format?: ValueFormat;
}

/** A reference to a table, chart or section by id, printed as 表2-1 / Figure 2-1 / 2-1. */
export interface CrossRef {
  kind: 'xref';
  target: string;
}

/** An external link; only http(s) targets become links, anything else is printed as text. */
export interface LinkInline {
  kind: 'link';
  text: string;
  href: string;
}

/** Verbatim text in a monospace font: payload snippets, DNS names, rule messages. */
export interface CodeInline {
  kind: 'code';
  text: string;
}

export interface StrongInline {
  kind: 'strong';
  content: Inline[];
}
