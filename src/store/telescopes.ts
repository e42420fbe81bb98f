/**
 * @module
 * Named telescopes: a telescope is a set of the store's sensors that
 * detection and statistics treat as one observatory (`--telescope NAME`
 * wherever `--sensor NAME...` selects sensors). Without a name the
 * telescope is every sensor of the store.
 *
 * The definitions live in one meta entry (JSON), written in one step, so
 * both back ends keep them without a table of their own. Sensor names are
 * checked when a telescope is defined and again when it is used: a sensor
 * removed since makes the telescope refuse to resolve rather than quietly
 * shrink.
 */

import { z } from 'zod';
import { TelescopeError } from './errors.js';
import type { AnalyticsStore } from './store.js';

/** Store meta key of the telescope definitions. */
export const TELESCOPES_KEY = 'telescopes';
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const Telescope = z.object({
  name: z.string().regex(NAME_PATTERN),
  // Printed to terminals and pages: no control characters (escape sequences, line breaks).
  label: z
    .string()
    .max(200)
    .regex(/^[^\u0000-\u001f\u007f-\u009f]*$/, 'must not contain control characters'),
  sensors: z.array(z.string()).min(1),
});
export type Telescope = z.infer<typeof Telescope>;
const Telescopes = z.array(Telescope);

/** Every telescope, by name. */
export async function listTelescopes(store: AnalyticsStore): Promise<Telescope[]> {
  const text = await store.getMeta(TELESCOPES_KEY);
  if (text === undefined) return [];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new TelescopeError(`Cannot read the store's telescopes: meta '${TELESCOPES_KEY}' is not JSON`, { cause });
  }
  const parsed = Telescopes.safeParse(json);
  if (!parsed.success)
    throw new TelescopeError(`Cannot read the store's telescopes: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

/** Adds or replaces telescope `name`; every sensor must exist. Returns the stored definition. */
export async function defineTelescope(store: AnalyticsStore, definition: Telescope): Promise<Telescope> {
  if (!NAME_PATTERN.test(definition.name)) {
    throw new TelescopeError(
      `Invalid telescope name '${definition.name}': letters, digits, '.', '_' and '-', at most 64`,
    );
  }
  const label = Telescope.shape.label.safeParse(definition.label);
  if (!label.success)
    throw new TelescopeError(`Invalid label of telescope '${definition.name}': ${label.error.issues[0]?.message}`);
  const sensors = [...new Set(definition.sensors)].sort();
  if (sensors.length === 0) throw new TelescopeError(`Telescope '${definition.name}' needs at least one sensor`);
  await checkSensors(store, definition.name, sensors);
  const telescope = { name: definition.name, label: definition.label, sensors };
  const others = (await listTelescopes(store)).filter((t) => t.name !== telescope.name);
  await store.setMeta(
    TELESCOPES_KEY,
    JSON.stringify([...others, telescope].sort((a, b) => a.name.localeCompare(b.name))),
  );
  return telescope;
}

/** Removes telescope `name` (its sensors and their data stay). */
export async function removeTelescope(store: AnalyticsStore, name: string): Promise<void> {
  const all = await listTelescopes(store);
  if (!all.some((t) => t.name === name)) throw new TelescopeError(`No telescope named '${name}'`);
  await store.setMeta(TELESCOPES_KEY, JSON.stringify(all.filter((t) => t.name !== name)));
}

/** The sensor names of telescope `name`, checked against the sensors the store has now. */
export async function telescopeSensors(store: AnalyticsStore, name: string): Promise<string[]> {
  const telescope = (await listTelescopes(store)).find((t) => t.name === name);
  if (telescope === undefined) throw new TelescopeError(`No telescope named '${name}' (see teiten telescopes list)`);
  await checkSensors(store, name, telescope.sensors);
  return telescope.sensors;
}

async function checkSensors(store: AnalyticsStore, telescope: string, names: readonly string[]): Promise<void> {
  const known = new Set((await store.listSensors()).map((s) => s.name));
  const missing = names.filter((n) => !known.has(n));
  if (missing.length > 0)
    throw new TelescopeError(`Telescope '${telescope}': no sensor named ${missing.map((n) => `'${n}'`).join(', ')}`);
}
