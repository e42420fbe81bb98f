/**
 * @module
 * Public surface of the signature engine: load Snort/Suricata rules
 * (`loadRuleFiles`, `parseRuleText`), map them to report categories
 * (`CategoryMap`), compile them (`new SignatureEngine(rules, { categories })`)
 * and match decoded batches (`engine.match(batch, alerts)`).
 */
export { SignatureAlerts } from './alerts.js';
export { CategoryMap, SIGNATURE_CATEGORIES, type CategoryDecision, type SignatureCategory } from './categories.js';
export { type RuleOrigin } from './errors.js';
export {
  BUNDLED_RULES_PATH,
  DEFAULT_CATEGORIES_PATH,
  loadRuleFiles,
  type LoadRulesOptions,
  type RuleLoad,
  type RuleSource,
} from './load-rules.js';
export type { PayloadMatch, SignatureRule, SkippedRule, ThresholdSpec } from './rule-types.js';
export { SignatureEngine, type SignatureEngineOptions } from './signature-engine.js';
export { needsEarlier, ThresholdChains, THRESHOLD_TRACKS, THRESHOLD_TYPES } from './threshold-chains.js';
export { parseVariableAssignment } from './variables.js';
