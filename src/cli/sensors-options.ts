/**
 * @module
 * The options of `teiten sensors` (declared for parseArgs in `commands.ts`),
 * shared by the registry subcommands and the observation-network ones.
 */
import { flag, optionalText, texts, type OptionValues } from './options.js';
import { STORE_SHAPE } from './store-target.js';

export const SENSORS_SHAPE = {
  ...STORE_SHAPE,
  collector: optionalText(),
  out: optionalText(),
  fingerprint: optionalText(),
  'data-dir': optionalText(),
  address: texts(),
  label: optionalText(),
  tz: optionalText(),
  from: optionalText(),
  to: optionalText(),
  note: optionalText(),
  'with-data': flag(),
  json: flag(),
};

export type SensorsOptions = OptionValues<typeof SENSORS_SHAPE>;
