import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { startFakeOllama, type FakeOllama } from './support/fake-ollama/index.js';
import { slurmMissing, startSlurmCluster, type SlurmCluster } from './support/slurm-cluster.js';
import { makeTempDir } from './support/temp.js';

/**
 * The printed sbatch script run for real: a one-node Slurm cluster on localhost runs a 2-task array
 * job, each task a `costbench run` against the fake Ollama on 127.0.0.1 into its node-local
 * database, exported as a bundle into the shared directory; `costbench import` collects them.
 * Skipped, with the reason, where Slurm is not installed; .ci/run installs it.
 */
const MISSING = slurmMissing();

// Where Slurm cannot run, the skipped suite's name carries the reason into the test output.
describe.skipIf(MISSING !== null)(
  `a Slurm array job of costbench runs${MISSING === null ? '' : ` (skipped: ${MISSING})`}`,
  () => {
    const dir = makeTempDir();
    let server: FakeOllama;
    let cluster: SlurmCluster | null = null;
    beforeAll(async () => {
      server = await startFakeOllama({ genTokensPerS: 2000, loadMs: 5 });
      cluster = await startSlurmCluster(join(dir.path, 'slurm'));
    }, 60_000);
    afterAll(async () => {
      await cluster?.stop();
      await server.close();
      dir.remove();
    });

    it('runs each task, exports a bundle per task, and imports them into one database', async () => {
      const shared = join(dir.path, 'shared');
      mkdirSync(shared); // Slurm opens the tasks' output files there before the script runs
      const printed = await runCli(
        [
          'schedule',
          '--print-slurm',
          '--tasks',
          '2',
          '--model',
          'llama3.2',
          '--suite',
          join(import.meta.dirname, 'fixtures', 'suite-e2e.json'),
          '--idle',
          '0',
          '--shared-dir',
          shared,
        ],
        { OLLAMA_HOST: server.url },
        dir.path,
      );
      expect(printed.code, printed.stderr).toBe(0);
      const script = join(dir.path, 'costbench.sbatch');
      writeFileSync(script, printed.stdout);
      const live = cluster as SlurmCluster;
      const jobId = live.submit(script, dir.path);
      expect(await live.waitForJob(jobId, 120_000)).toBe(true);
      const outputs = readdirSync(shared).filter((f) => f.startsWith('slurm-'));
      const logs = outputs.map((f) => readFileSync(join(shared, f), 'utf8')).join('\n---\n');
      expect(live.completions(), logs).toContain('JobState=COMPLETED');
      expect(outputs.sort()).toEqual([`slurm-${jobId}_0.out`, `slurm-${jobId}_1.out`]);
      const bundles = readdirSync(shared).filter((f) => f.endsWith('.costbench.jsonl.gz'));
      expect(bundles.sort()).toEqual(
        [`costbench-vm-${jobId}-0.costbench.jsonl.gz`, `costbench-vm-${jobId}-1.costbench.jsonl.gz`].sort(),
      );

      const db = join(dir.path, 'fleet.db');
      const imported = await runCli(['import', shared, '--db', db], {}, dir.path);
      expect(imported.code, imported.stderr).toBe(0);
      const sqlite = new Database(db, { readonly: true });
      const runs = sqlite.prepare(`SELECT status, model, uuid FROM runs ORDER BY id`).all() as {
        status: string;
        model: string;
        uuid: string;
      }[];
      const requests = sqlite.prepare(`SELECT COUNT(*) AS n FROM requests WHERE state = 'ok'`).get() as {
        n: number;
      };
      sqlite.close();
      expect(runs.map((r) => [r.status, r.model])).toEqual([
        ['completed', 'llama3.2:latest'],
        ['completed', 'llama3.2:latest'],
      ]);
      expect(new Set(runs.map((r) => r.uuid)).size).toBe(2);
      // suite-e2e.json has 3 tasks, run once by each of the 2 array tasks.
      expect(requests.n).toBe(6);
      // Importing the directory again adds nothing.
      const again = await runCli(['import', shared, '--db', db], {}, dir.path);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain('already present');
    }, 180_000);
  },
);
