import { EXIT } from '../../errors.js';
import { listBuiltinSuites, loadSuite } from '../../suites/load.js';
import type { CliIo } from '../io.js';

/** `costbench suites`: the built-in suites. */
export function suitesCommand(flags: { json?: boolean }, io: CliIo): number {
  const suites = listBuiltinSuites().map((id) => {
    const suite = loadSuite(id, io.cwd);
    return {
      id: suite.id,
      version: suite.version,
      tasks: suite.tasks.length,
      description: suite.description,
    };
  });
  if (flags.json === true) io.stdout(JSON.stringify(suites, null, 2) + '\n');
  else for (const s of suites) io.stdout(`${s.id} v${s.version} (${s.tasks} tasks): ${s.description}\n`);
  return EXIT.ok;
}
