/**
 * @module
 * The pipeline stage: captures read (hashed), decoded and enriched into
 * batches — on a worker thread for large files, batches handed over in
 * shared memory — for the commands that consume packets (`runPipeline`),
 * and the source the ingest drives itself (`openEnrichedSource`), which can
 * match signature rules on its decode thread (`threadRules`).
 */

export { runPipeline, type PacketSink, type PipelineOptions, type PipelineRun } from './run-pipeline.js';
export {
  openEnrichedSource,
  type EnrichedSource,
  type EnrichedSourceOptions,
  type SourceHandlers,
  type Truncation,
} from './enriched-source.js';
export { threadRules, type ThreadRules } from './thread-rules.js';
