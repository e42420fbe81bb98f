#!/usr/bin/env node
// The CLI is compiled by `npm install` (prepare → tsc); this shim only forwards to it.
import { main } from '../dist/src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
