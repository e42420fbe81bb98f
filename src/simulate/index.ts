/**
 * @module
 * The simulate stage: scenario files (schema, loading, bundled scenarios),
 * the traffic generator that writes one capture per sensor, and truth.json,
 * the exact record of what was planted. The packet crafting library lives
 * in `craft/`.
 */

export { simulateScenario, countryNetworks, TRUTH_FILE, type SimulateOptions, type SimulateResult, type SimulatedFile } from './simulate.js';
export { compileScenario, DEFAULT_SEED, DEFAULT_TIME_ZONE, type CompileOptions } from './compile-scenario.js';
export type { CompiledScenario, CompiledSensor, CompiledStream } from './compiled.js';
export { bundledScenarioDir, bundledScenarioNames, loadScenario, parseScenarioText, resolveScenarioPath, validateScenario, type LoadedScenario } from './scenario-load.js';
export { scenarioSchema, type Scenario } from './scenario-schema.js';
export { readTruth, truthSchema, TRUTH_FORMAT, TRUTH_VERSION, type Truth, type TruthFamily, type TruthSensor, type TruthStream } from './truth-schema.js';
export { FAMILIES, FAMILY_NAMES, SCANNER_TOOLS, SIGNATURE_CATEGORIES, type FamilyName, type ScannerTool, type SignatureCategory } from './families.js';
export { ScenarioError, ScenarioErrorCode, type ScenarioIssue } from './errors.js';
export { masscanIpId, ZMAP_IP_ID } from './family-fill.js';
