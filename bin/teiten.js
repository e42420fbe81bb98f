#!/usr/bin/env node
// The CLI is compiled and bundled by `npm install` (prepare → build); this shim only forwards to it.
import { main } from '../dist/bundle/cli/teiten.js';

process.exitCode = await main(process.argv.slice(2));
