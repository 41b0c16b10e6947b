/**
 * What `costbench schedule --print-slurm` prints: an sbatch script for an array job. Each array task
 * measures on one node (or one GPU) into a database on node-local disk, then exports it as a bundle
 * into a shared directory; `costbench import <dir>` collects them. Printed only, never submitted. Pure.
 */
import { shellQuote } from './unit-files.js';

/** The array job: what each task runs, and where Slurm places it. */
export interface SlurmJob {
  cwd: string;
  /** Absolute path of node, and of the CLI entry point, as on the nodes (a shared install). */
  nodePath: string;
  cliPath: string;
  /** Everything after `run`; a --db is dropped: each task's database is node-local. */
  runArgs: readonly string[];
  env: readonly (readonly [string, string])[];
  /** Array tasks: one per node (each task has its node to itself), or one per GPU with `gres`. */
  tasks: number;
  /** e.g. "gpu:1": each task gets that many GPUs, and tasks share a node (one per GPU); null: whole nodes. */
  gres: string | null;
  partition: string | null;
  /** Slurm's --time, e.g. "02:00:00"; null: the partition's default. */
  timeLimit: string | null;
  /** Where bundles and the tasks' output go: a directory every node can write. */
  sharedDir: string;
}

/** The run arguments without --db (and its value), which the script sets to node-local disk. */
function withoutDb(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (arg === '--db') i += 1;
    else if (!arg.startsWith('--db=')) out.push(arg);
  }
  return out;
}

/** The sbatch script. Its exit status is the run's (a failed run still exports what it finished). */
export function formatSlurmScript(job: SlurmJob): string {
  const cli = [job.nodePath, job.cliPath].map(shellQuote).join(' ');
  const shared = shellQuote(job.sharedDir);
  const directives = [
    '--job-name=costbench',
    `--array=0-${job.tasks - 1}`,
    '--nodes=1',
    '--ntasks=1',
    // Power is read for the whole node: a task has it to itself unless it asked for GPUs apart.
    ...(job.gres === null ? ['--exclusive'] : [`--gres=${job.gres}`]),
    ...(job.partition === null ? [] : [`--partition=${job.partition}`]),
    ...(job.timeLimit === null ? [] : [`--time=${job.timeLimit}`]),
    `--output=${job.sharedDir}/slurm-%A_%a.out`,
  ];
  return [
    '#!/bin/bash',
    '# costbench on Slurm: one array task per node (or per GPU with --gres). Each task measures into a',
    '# database on node-local disk and exports it as a bundle into the shared directory; collect the',
    `# bundles with: costbench import ${job.sharedDir}`,
    ...directives.map((d) => `#SBATCH ${d}`),
    'set -uo pipefail',
    `cd ${shellQuote(job.cwd)} || exit 1`,
    ...job.env.map(([name, value]) => `export ${name}=${shellQuote(value)}`),
    'id="${SLURM_ARRAY_JOB_ID:-${SLURM_JOB_ID:-local}}-${SLURM_ARRAY_TASK_ID:-0}"',
    'work="${SLURM_TMPDIR:-${TMPDIR:-/tmp}}/costbench-$id"',
    'mkdir -p "$work" || exit 1',
    `${cli} run ${[...withoutDb(job.runArgs).map(shellQuote), '--db', '"$work/costbench.db"'].join(' ')}`,
    'status=$?',
    `mkdir -p ${shared}`,
    `${cli} export --all --db "$work/costbench.db" -o ${shared}/"costbench-$(hostname -s)-$id.costbench.jsonl.gz" || status=$?`,
    'rm -rf "$work"',
    'exit "$status"',
    '',
  ].join('\n');
}
