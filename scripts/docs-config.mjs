// Writes docs/configuration.md from the config schema (run through `npm run docs:config`, which builds first).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { formatConfigDoc } from '../dist/src/config/config-doc.js';
import { configJsonSchema } from '../dist/src/config/json-schema.js';

const path = join(import.meta.dirname, '..', 'docs', 'configuration.md');
writeFileSync(path, formatConfigDoc(configJsonSchema()));
process.stdout.write(`wrote ${path}\n`);
