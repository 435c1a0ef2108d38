#!/usr/bin/env node
// `npx workbench …`: runs the TypeScript CLI through tsx (a runtime dependency), from any cwd.
import { register } from 'tsx/esm/api';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

register();
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Parsers hash their own source (logic_hash) relative to the project root, whatever the cwd.
process.env.WORKBENCH_ROOT ??= root;
const { main } = await import(pathToFileURL(path.join(root, 'cli', 'main.ts')).href);
process.exitCode = await main(process.argv.slice(2));
