/**
 * @module
 * Test helper: simulate a scenario and read back (and validate) its truth.json.
 */

import { simulateScenario, type SimulateOptions, type SimulateResult } from '../simulate.js';
import { readTruth, type Truth } from '../truth-schema.js';

export async function simulateAndRead(scenario: string, options: SimulateOptions): Promise<SimulateResult & { truth: Truth }> {
  const result = await simulateScenario(scenario, options);
  return { ...result, truth: readTruth(result.truthPath) };
}
