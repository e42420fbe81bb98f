/**
 * @module
 * The detect stage: streaming detectors over enriched batches. IDS
 * signatures (`signatures/`), DoS attacks from backscatter, scanners with
 * their shape and tool fingerprints, and reflection-abuse signals; each
 * result says what it decided and why.
 */

export * from './signatures/index.js';

export {
  BackscatterDetector,
  type BackscatterAttack,
  type BackscatterOptions,
  type BackscatterResult,
  type BackscatterStats,
} from './backscatter.js';
export {
  checkBackscatterOptions,
  DEFAULT_ATTACK_SETTINGS,
  type AttackSensor,
  type AttackSettings,
  type FlowSummary,
  type VictimPort,
} from './backscatter-report.js';
export { attacksOf, deriveFlows, type DerivedAttacks } from './backscatter-attacks.js';
export {
  BackscatterEvidence,
  type EvidenceColumns,
  type EvidenceRows,
  type SensorEvidenceColumns,
} from './backscatter-evidence.js';
export {
  BackscatterKind,
  BACKSCATTER_KIND_NAMES,
  readBackscatter,
  newBackscatterPacket,
  type BackscatterPacket,
} from './backscatter-kinds.js';
export type { BackscatterDay, BackscatterShare } from './backscatter-daily.js';
export {
  checkScanThresholds,
  ScannerDetector,
  type ScannerOptions,
  type ScannerResult,
  type ScannerStats,
  type ScannerSummary,
  type ScanThresholds,
} from './scanners.js';
export { DEFAULT_SCAN_THRESHOLDS } from './scanners-source.js';
export { DistinctCounter } from './scanners-distinct.js';
export { TOOL_COLUMNS, type ScannerEvidenceRows } from './scanner-evidence.js';
export { deriveScanners } from './scanner-derive.js';
export { type ToolName, type ToolRule } from './fingerprint.js';
export {
  ReflectionDetector,
  type ReflectionOptions,
  type ReflectionResult,
  type ReflectionRow,
  type ReflectionStats,
} from './reflection.js';
export { REFLECTOR_UDP_PORTS, isReflectorPort } from './reflection-ports.js';
export {
  checkReflectionSettings,
  ReflectionEvidenceKind,
  reflectionEpisodes,
  type ReflectionEpisode,
  type ReflectionEpisodeKind,
  type ReflectionEpisodes,
  type ReflectionEvidenceRow,
  type ReflectionSettings,
  type ReflectorShare,
} from './reflection-episodes.js';
export {
  DEFAULT_CAMPAIGN_SETTINGS,
  findCampaigns,
  type Campaign,
  type CampaignLink,
  type CampaignSettings,
  type CampaignSource,
  type IpIdPattern,
  type SportPattern,
} from './campaign-links.js';
export type { LinkReason } from './link-reason.js';
export { recoverMasscanSeed, type CookieProbe, type RecoveredSeed } from './masscan-seed.js';
export {
  BUNDLED_RULES_PATH,
  CategoryMap,
  DEFAULT_CATEGORIES_PATH,
  SIGNATURE_CATEGORIES,
  SignatureAlerts,
  SignatureEngine,
  loadRuleFiles,
  parseVariableAssignment,
  type RuleLoad,
  type SkippedRule,
} from './signatures/index.js';
