// tsc writes dist/src/cli/main.js without the execute bit; `npx costbench` in a fresh clone runs the
// file itself (npm links the project's own bin into its cache), so the build sets the bit.
import { chmodSync } from 'node:fs';
import { join } from 'node:path';

chmodSync(join(import.meta.dirname, '..', 'dist', 'src', 'cli', 'main.js'), 0o755);
