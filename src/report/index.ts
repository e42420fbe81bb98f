/**
 * @module
 * The report stage: the document model, its renderers (HTML, Markdown,
 * JSON, PDF), server-side SVG charts, number/date formatting in Japanese and
 * English, and the port knowledge base. Composing a quarterly or monthly
 * document from analytics results builds on these.
 */

export {
  REPORT_LANGUAGES,
  type Block,
  type CategoryKind,
  type CellTarget,
  type CellValue,
  type ChangeValue,
  type ChartBlock,
  type ChartKind,
  type ChartSeries,
  type ChartSpec,
  type ChartTarget,
  type CodeInline,
  type ColumnKind,
  type CrossRef,
  type GeoIpInfo,
  type Inline,
  type Language,
  type LinkInline,
  type ListBlock,
  type NoteBlock,
  type ParagraphBlock,
  type PeriodInfo,
  type PieChartSpec,
  type PieSlice,
  type ReportDocument,
  type ReportKind,
  type ReportMeta,
  type Section,
  type SeriesChartSpec,
  type SourceInfo,
  type StrongInline,
  type TableBlock,
  type TableColumn,
  type TableRow,
  type UnitKey,
  type ValueFormat,
  type ValueRef,
  type ValueStyle,
} from './document.js';
export { type DocumentIndex, type RefContext, type ResolvedValue } from './document-index.js';
export { escapeHtml } from './escape.js';
export { formatNumber, formatSigned, type QuantityOptions } from './format.js';
export { type DateStyleOptions, type YearStyle } from './format-date.js';
export { type Labels } from './labels.js';
export { type RankingSubject, type RankingTableOptions } from './ranking-table.js';
export { renderHtml } from './html.js';
export { renderMarkdown } from './markdown.js';
export { renderJson } from './json.js';
export { REPORT_FORMAT_NAMES, REPORT_FORMATS, renderReport, type RenderOptions, type ReportFormat } from './formats.js';
export { renderChartSvg, type RenderedChart } from './charts/render-chart.js';
export { type PortDescription, type PortInfoSource, type PortKnowledgeOptions } from './ports/port-knowledge.js';
export {
  composeReport,
  detectionInputFromStore,
  ComposeError,
  parseDetectionInput,
  REPORT_KINDS,
  type ComposableKind,
  type ComposeOptions,
  type DetectionInput,
} from './compose/index.js';
export { reportFindings } from './compose/findings-data.js';
export { findingTexts } from './compose/finding-text.js';
export { TABLE_SELECTION } from './compose/quarterly-data.js';
export { FONT_FAMILY } from './charts/palette.js';
export { generateReport } from './compose/index.js';
