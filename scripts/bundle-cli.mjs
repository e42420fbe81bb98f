// Bundles the compiled CLI into a few files (dist/bundle/cli/): Node then
// loads ~10 modules instead of ~170, which was most of a short command's
// start-up (a collector ingests one segment per call). The bundle sits three
// levels below the package root, like the compiled modules whose paths it
// inherits (rules and port data found relative to `import.meta.url`), and the
// decode worker is its own entry beside it, where `decode-thread.ts` looks.
// Packages stay external and load from node_modules, except
// `@duckdb/node-api`: its ~180 CommonJS files cost 100–180 ms of Node's
// loader on every command that opens a store, and inlined they cost a few.
// `store/duckdb/node-api.ts` loads it through `createRequire` (cheaper than
// an ES import when unbundled); the plugin below turns that call into a
// plain `require`, which esbuild bundles, as it does the JavaScript of
// `@duckdb/node-bindings` (with `detect-libc`, ~10 ms to load apart); the
// `require` of the platform's native `duckdb.node` needs a real `require` in
// the ES module output, hence the banner. `zod` is inlined too: as a package
// it is ~100 ES modules (its error messages in every locale among them),
// ~65 ms of CPU to load in every command, since the option parser uses it;
// bundled, only what teiten calls is kept. `mmdb-lib` (eight CommonJS files,
// which an ES import has Node scan for export names) is small enough to
// inline as well.
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const INLINED = new Set(['@duckdb/node-api', 'zod', 'mmdb-lib']);

/** `createRequire` calls of the compiled node-api.js and the plain `require` each becomes. */
const NODE_API_REQUIRES = [
  ["requireHere('@duckdb/node-api')", "require('@duckdb/node-api')"],
  [
    "createRequire(requireHere.resolve('@duckdb/node-api'))('@duckdb/node-bindings')",
    "require('@duckdb/node-bindings')",
  ],
];

/** Rewrites the `createRequire` calls in the compiled node-api.js; fails the build if one is gone. */
const inlineNodeApi = {
  name: 'inline-duckdb-node-api',
  setup(b) {
    b.onLoad({ filter: /store[\\/]duckdb[\\/]node-api\.js$/ }, (args) => {
      let source = readFileSync(args.path, 'utf8');
      for (const [call, plain] of NODE_API_REQUIRES) {
        if (!source.includes(call)) throw new Error(`${args.path} no longer loads a package by ${call}`);
        source = source.replace(call, plain);
      }
      return { contents: source, loader: 'js' };
    });
  },
};

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
  // The native bindings (`duckdb.node` of the platform's package) load at run time.
  external: [...Object.keys(pkg.dependencies).filter((name) => !INLINED.has(name)), '@duckdb/node-bindings-*'],
  banner: {
    js: "import { createRequire as __teitenRequire } from 'node:module'; const require = __teitenRequire(import.meta.url);",
  },
  plugins: [inlineNodeApi],
  sourcemap: 'linked',
  logLevel: 'warning',
});
