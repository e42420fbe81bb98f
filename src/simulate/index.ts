/**
 * @module
 * The simulate stage: scenario files (schema, loading, bundled scenarios),
 * the traffic generator that writes one capture per sensor, and truth.json,
 * the exact record of what was planted. The packet crafting library lives
 * in `craft/`.
 */

export { simulateScenario, type SimulateOptions, type SimulateResult, type SimulatedFile } from './simulate.js';
export { type CompileOptions } from './compile-scenario.js';
export type { CompiledScenario, CompiledSensor, CompiledStream } from './compiled.js';
export { bundledScenarioNames, type LoadedScenario } from './scenario-load.js';
export { type Scenario } from './scenario-schema.js';
export { readTruth, type Truth, type TruthSensor } from './truth-schema.js';
export { type FamilyName, type ScannerTool, type SignatureCategory } from './families.js';
export { type ScenarioIssue } from './errors.js';
