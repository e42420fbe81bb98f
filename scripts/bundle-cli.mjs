// Bundles the compiled CLI into a few files (dist/bundle/cli/): Node then
// loads ~10 modules instead of ~170, which was most of a short command's
// start-up (a collector ingests one segment per call). The bundle sits three
// levels below the package root, like the compiled modules whose paths it
// inherits (rules and port data found relative to `import.meta.url`), and the
// decode worker is its own entry beside it, where `decode-thread.ts` looks.
// Packages stay external: they load from node_modules as before.
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

rmSync('dist/bundle', { recursive: true, force: true });

await build({
  entryPoints: {
    teiten: 'dist/src/cli/main.js',
    'decode-worker': 'dist/src/pipeline/decode-worker.js',
  },
  outdir: 'dist/bundle/cli',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: Object.keys(pkg.dependencies),
  sourcemap: 'linked',
  logLevel: 'warning',
});
