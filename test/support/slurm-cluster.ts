import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

/**
 * A one-node Slurm cluster on localhost for tests, the recipe of ../shared/reference/fleet-engines.md:
 * Debian's slurmctld, slurmd, slurm-client and munge, a private slurm.conf (SLURM_CONF; /etc/slurm is
 * untouched), both daemons in the foreground as children of this process, no cgroups, no accounting.
 */
export interface SlurmCluster {
  /** The environment every Slurm command needs (SLURM_CONF). */
  env: NodeJS.ProcessEnv;
  /** sbatch a script file; returns the job id. */
  submit(script: string, cwd: string): string;
  /** Waits until the job has left the queue (finished or failed); false on timeout. */
  waitForJob(jobId: string, timeoutMs: number): Promise<boolean>;
  /** JobState and ExitCode of each finished task, from the jobcomp file. */
  completions(): string;
  stop(): Promise<void>;
}

const NEEDED = ['slurmctld', 'slurmd', 'sbatch', 'squeue', 'sinfo', 'scontrol', 'munged', 'munge'];

/** PATH with the system directories Debian puts the daemons in (a user's PATH may lack them). */
const PATH_WITH_SBIN = [process.env['PATH'] ?? '', '/usr/sbin', '/sbin'].filter((d) => d !== '').join(':');
const TOOL_ENV = { ...process.env, PATH: PATH_WITH_SBIN };

/** Why a cluster cannot start here (a one-line skip reason), or null when it can. */
export function slurmMissing(): string | null {
  const missing = NEEDED.filter((tool) => spawnSync('which', [tool], { env: TOOL_ENV }).status !== 0);
  if (missing.length > 0)
    return `Slurm not installed (missing ${missing.join(', ')}; apt-get install slurmctld slurmd slurm-client munge, as .ci/run does)`;
  if (process.getuid?.() !== 0) return 'a private Slurm cluster needs root here (SlurmUser=root)';
  return null;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Starts munged (as the munge user; it forks) unless it already answers. */
function ensureMunge(): void {
  if (spawnSync('sh', ['-c', 'munge -n | unmunge'], { stdio: 'ignore', env: TOOL_ENV }).status === 0) return;
  execFileSync('install', ['-d', '-o', 'munge', '-g', 'munge', '-m', '0755', '/run/munge'], {
    env: TOOL_ENV,
  });
  execFileSync('runuser', ['-u', 'munge', '--', '/usr/sbin/munged'], { env: TOOL_ENV });
}

/** The node's RealMemory as slurmd -C reports it (a larger value gets the node rejected). */
function realMemoryMb(): number {
  const text = execFileSync('slurmd', ['-C'], { encoding: 'utf8', env: TOOL_ENV });
  return Number(/RealMemory=(\d+)/.exec(text)?.[1] ?? '1000');
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Starts the cluster under `dir` and waits until its node is idle (~1-2 s). */
export async function startSlurmCluster(dir: string): Promise<SlurmCluster> {
  ensureMunge();
  for (const sub of ['state', 'spool']) mkdirSync(join(dir, sub), { recursive: true });
  const conf = join(dir, 'slurm.conf');
  writeFileSync(
    conf,
    [
      'ClusterName=costbench-test',
      'SlurmctldHost=localhost(127.0.0.1)',
      'AuthType=auth/munge',
      'CredType=cred/munge',
      'SlurmUser=root',
      'SlurmdUser=root',
      `StateSaveLocation=${join(dir, 'state')}`,
      `SlurmdSpoolDir=${join(dir, 'spool')}`,
      `SlurmctldPidFile=${join(dir, 'slurmctld.pid')}`,
      `SlurmdPidFile=${join(dir, 'slurmd.pid')}`,
      `SlurmctldLogFile=${join(dir, 'slurmctld.log')}`,
      `SlurmdLogFile=${join(dir, 'slurmd.log')}`,
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'JobAcctGatherType=jobacct_gather/none',
      'AccountingStorageType=accounting_storage/none',
      'JobCompType=jobcomp/filetxt',
      `JobCompLoc=${join(dir, 'jobcomp.txt')}`,
      'MailProg=/bin/true',
      'MpiDefault=none',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_Core',
      'ReturnToService=2',
      `NodeName=localhost NodeAddr=127.0.0.1 CPUs=${cpus().length} RealMemory=${realMemoryMb()} State=UNKNOWN`,
      'PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP',
      '',
    ].join('\n'),
  );
  const env = { ...TOOL_ENV, SLURM_CONF: conf };
  const ctld = spawn('slurmctld', ['-D'], { env, stdio: 'ignore' });
  const slurmd = spawn('slurmd', ['-D', '-N', 'localhost'], { env, stdio: 'ignore' });
  const stop = async (): Promise<void> => {
    spawnSync('scontrol', ['shutdown'], { env, stdio: 'ignore', timeout: 10_000 });
    await Promise.all([stopChild(slurmd), stopChild(ctld)]);
  };
  let ready = false;
  for (let waited = 0; waited < 30_000 && !ready; waited += 200) {
    await sleep(200);
    const state = spawnSync('sinfo', ['-h', '-r', '-o', '%t'], { env, encoding: 'utf8' });
    ready = state.status === 0 && state.stdout.trim() === 'idle';
  }
  if (!ready) {
    await stop();
    throw new Error(`the Slurm node did not become idle in 30 s; see ${dir}/slurmctld.log and slurmd.log`);
  }
  return {
    env,
    submit(script, cwd) {
      return execFileSync('sbatch', ['--parsable', script], { env, cwd, encoding: 'utf8' }).trim();
    },
    async waitForJob(jobId, timeoutMs) {
      for (let waited = 0; waited < timeoutMs; waited += 200) {
        const queue = spawnSync('squeue', ['-h', '-j', jobId], { env, encoding: 'utf8' });
        if (queue.status === 0 && queue.stdout.trim() === '') return true;
        await sleep(200);
      }
      return false;
    },
    completions() {
      const file = join(dir, 'jobcomp.txt');
      return existsSync(file) ? execFileSync('cat', [file], { encoding: 'utf8' }) : '';
    },
    stop,
  };
}
