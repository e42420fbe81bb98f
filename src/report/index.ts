/**
 * @module
 * The report stage: the document model, its renderers (HTML, Markdown,
 * JSON, PDF), server-side SVG charts, number/date formatting in Japanese and
 * English, and the port knowledge base. Composing a quarterly or monthly
 * document from analytics results builds on these.
 */

export {
  DOCUMENT_SCHEMA, REPORT_LANGUAGES, type Block, type CategoryKind, type CellTarget, type CellValue,
  type ChangeValue, type ChartBlock, type ChartKind, type ChartSeries, type ChartSpec, type ChartTarget,
  type CodeInline, type ColumnKind, type CrossRef, type GeoIpInfo, type Inline, type Language, type LinkInline,
  type ListBlock, type NoteBlock, type ParagraphBlock, type PeriodInfo, type PieChartSpec, type PieSlice,
  type ReportDocument, type ReportKind, type ReportMeta, type Section, type SeriesChartSpec, type SourceInfo,
  type StrongInline, type TableBlock, type TableColumn, type TableRow, type UnitKey, type ValueFormat,
  type ValueRef, type ValueStyle,
} from './document.js';
export { checkDocument } from './document-check.js';
export {
  crossRefText, formatValueRef, indexDocument, resolveValueRef, type DocumentIndex, type RefContext, type ResolvedValue,
} from './document-index.js';
export { ChartRenderError, PdfRenderError, PortKnowledgeError, ReportDocumentError } from './errors.js';
export { cleanText, escapeHtml, escapeMarkdown, markdownCode, safeHref } from './escape.js';
export {
  formatChangeCell, formatChangeSentence, formatNumber, formatPercent, formatQuantity, formatRank, formatSigned,
  roundHalfUp, unitWord, type QuantityOptions,
} from './format.js';
export {
  formatAxisDate, formatAxisMonth, formatDate, formatMonth, formatPeriodSpan, formatPeriodTitle, japaneseEra,
  periodInfo, type DateStyleOptions, type YearStyle,
} from './format-date.js';
export { LABELS, blockLabel, type Labels } from './labels.js';
export { formatCell } from './table-cells.js';
export { RANKING_COLUMNS, rankingColumns, rankingTable, type RankingSubject, type RankingTableOptions } from './ranking-table.js';
export { renderHtml } from './html.js';
export { renderMarkdown } from './markdown.js';
export { canonical, renderJson } from './json.js';
export { REPORT_FORMATS, REPORT_FORMAT_NAMES, renderReport, type RenderOptions, type ReportFormat } from './formats.js';
export { renderChartSvg, type RenderedChart } from './charts/render-chart.js';
export { assertSafeSvg } from './charts/svg-clean.js';
export {
  PortKnowledge, defaultKnowledgeFile, describePort, openPortKnowledge, type PortDescription,
  type PortInfoSource, type PortKnowledgeOptions,
} from './ports/port-knowledge.js';
export { ETC_SERVICES_PATH, loadEtcServices, parseEtcServices } from './ports/etc-services.js';
export { composeReport, detectionInputFromStore, ComposeError, parseDetectionInput, REPORT_KINDS, type ComposableKind, type ComposeOptions, type DetectionInput } from './compose/index.js';
export { reportFindings } from './compose/findings-data.js';
export { TABLE_SELECTION } from './compose/quarterly-data.js';
export { FONT_FAMILY } from './charts/palette.js';
