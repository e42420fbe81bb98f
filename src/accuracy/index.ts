/**
 * @module
 * The accuracy harness: simulated scenarios through the real pipeline,
 * compared figure by figure with the simulator's truth.
 */

export { comparePeriod, type Check } from './compare.js';
export { loadCaptures, runScenario, type ScenarioRun, type ScenarioRunOptions } from './run-scenario.js';
export { TruthTables, type TruthDimension } from './truth-tables.js';
