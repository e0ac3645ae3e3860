#!/usr/bin/env node
// Source launcher for tests and development: runs src/ through tsx, so it never runs a stale build.
// The installed `callqa` (package.json "bin") is the compiled dist/cli/main.js, built by `npm install` (prepare).
import { register } from 'tsx/esm/api';
register();
await import('./main.ts');
