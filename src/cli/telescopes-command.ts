/**
 * @module
 * `teiten telescopes add|list|remove`: named sets of sensors that
 * detection and statistics treat as one telescope (`--telescope NAME`).
 *
 *     telescopes add NAME --sensor NAME... [--label TEXT]   (replaces a telescope of that name)
 *     telescopes list [--json]
 *     telescopes remove NAME
 */
import { defineTelescope, listTelescopes, removeTelescope, TelescopeError, type Telescope } from '../store/index.js';
import { command, flag, optionalText, texts } from './options.js';
import { UsageError } from './errors.js';
import { writeOut } from './output.js';
import { STORE_SHAPE, withStore } from './store-target.js';

const SUBCOMMANDS = ['add', 'list', 'remove'] as const;

function telescopeText(t: Telescope): string {
  return `${t.name}${t.label === '' ? '' : ` — ${t.label}`}: ${t.sensors.join(', ')}`;
}

const OPTIONS = { ...STORE_SHAPE, sensor: texts(), label: optionalText(), json: flag() };

export const runTelescopes = command(OPTIONS, async (values, positionals) => {
  const [sub, name, ...rest] = positionals;
  if (sub === undefined || !(SUBCOMMANDS as readonly string[]).includes(sub)) {
    throw new UsageError(`expected a subcommand: ${SUBCOMMANDS.join(', ')}`);
  }
  if (sub !== 'list' && name === undefined) throw new UsageError(`telescopes ${sub} needs a telescope NAME`);
  if (rest.length > 0 || (sub === 'list' && name !== undefined))
    throw new UsageError(`unexpected argument '${rest[0] ?? name}'`);
  return withStore(values, async (store) => {
    try {
      if (sub === 'add') {
        const sensors = values.sensor;
        if (sensors === undefined) throw new UsageError('telescopes add needs --sensor NAME (repeatable)');
        const t = await defineTelescope(store, { name: name!, label: values.label ?? '', sensors });
        await writeOut(`${telescopeText(t)}\n`);
      } else if (sub === 'remove') {
        await removeTelescope(store, name!);
        await writeOut(`removed telescope ${name}\n`);
      } else {
        const all = await listTelescopes(store);
        if (values.json) await writeOut(`${JSON.stringify(all, null, 2)}\n`);
        else
          await writeOut(
            all.length === 0
              ? '(no telescopes: every statistic covers all sensors)\n'
              : `${all.map(telescopeText).join('\n')}\n`,
          );
      }
      return 0;
    } catch (error) {
      if (error instanceof TelescopeError) throw new UsageError(error.message);
      throw error;
    }
  });
});
