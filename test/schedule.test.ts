import Database from 'better-sqlite3';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScheduler } from '../src/schedule/daemon.js';
import { decideIdle, parseNvidiaUtilization, sampleLoad } from '../src/schedule/idle-guard.js';
import {
  lockPathFor,
  parseLockInfo,
  processLockEnv,
  tryAcquireLock,
  withLock,
  type LockEnv,
} from '../src/schedule/lock.js';
import { cronToOnCalendar } from '../src/schedule/on-calendar.js';
import { formatLocalTime } from '../src/schedule/schedule-log.js';
import { PASSED_RUN_OPTIONS, formatCrontabLine, runArgsFromFlags } from '../src/schedule/unit-files.js';
import { CLI, runCli } from './support/cli.js';
import { startFakeOllama } from './support/fake-ollama/index.js';
import { useTempDir } from './support/temp.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const SUITE = join(FIXTURES, 'suite-e2e.json');
const STAT = (i: number): string => readFileSync(join(FIXTURES, 'proc', `stat-${i}`), 'utf8');
const tempDir = useTempDir('costbench-schedule-');

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(child.stdout);
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 12_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the run lock', () => {
  it('is created exclusively with who holds it, refuses a second holder, and is released', () => {
    const path = lockPathFor(join(tempDir(), 'data', 'runs.db'));
    const env: LockEnv = { ...processLockEnv(), now: () => Date.parse('2025-03-01T02:00:00.000Z') };
    const first = tryAcquireLock(path, 'costbench run', env);
    expect(first.acquired).toBe(true);
    expect(parseLockInfo(readFileSync(path, 'utf8'))).toEqual({
      pid: process.pid,
      hostname: hostname(),
      startedAt: '2025-03-01T02:00:00.000Z',
      command: 'costbench run',
    });
    const second = tryAcquireLock(path, 'costbench schedule', { ...env, pid: process.pid + 1 });
    expect(second).toEqual({
      acquired: false,
      path,
      holder: {
        pid: process.pid,
        hostname: hostname(),
        startedAt: '2025-03-01T02:00:00.000Z',
        command: 'costbench run',
      },
    });
    if (first.acquired) first.lock.release();
    expect(existsSync(path), 'released').toBe(false);
    const third = tryAcquireLock(path, 'costbench run', env);
    expect(third).toMatchObject({ acquired: true, recovered: null });
    if (third.acquired) third.lock.release();
  });

  it('recovers a lock whose process has exited, and says so', async () => {
    const path = lockPathFor(join(tempDir(), 'runs.db'));
    const pid = deadPid();
    writeFileSync(
      path,
      JSON.stringify({
        pid,
        hostname: hostname(),
        startedAt: new Date().toISOString(),
        command: 'costbench run',
      }),
    );
    const notes: string[] = [];
    const result = await withLock(
      path,
      'costbench run',
      (m) => notes.push(m),
      async () => parseLockInfo(readFileSync(path, 'utf8'))?.pid,
    );
    expect(result, 'held by this process while fn ran').toBe(process.pid);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(
      new RegExp(
        `^recovered a stale lock ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(pid ${pid} on .*\\): pid ${pid} is not running on `,
      ),
    );
    expect(existsSync(path), 'released after fn').toBe(false);
  });

  it("keeps a long run's lock on this host; an old lock from another host, or an old unparsable file, is stale; a fresh unparsable one is busy", () => {
    const path = lockPathFor(join(tempDir(), 'runs.db'));
    const now = Date.parse('2025-03-02T03:00:00.000Z');
    const env: LockEnv = { pid: 2, hostname: 'here', now: () => now, isAlive: () => true };
    writeFileSync(
      path,
      JSON.stringify({
        pid: 1,
        hostname: 'here',
        startedAt: '2025-03-01T02:00:00.000Z',
        command: 'costbench run',
      }),
    );
    expect(
      tryAcquireLock(path, 'costbench run', env),
      'a 25 h run whose pid is alive keeps its lock',
    ).toMatchObject({ acquired: false });
    writeFileSync(
      path,
      JSON.stringify({
        pid: 1,
        hostname: 'elsewhere',
        startedAt: '2025-03-01T02:00:00.000Z',
        command: 'costbench run',
      }),
    );
    const old = tryAcquireLock(path, 'costbench run', env);
    expect(old).toMatchObject({
      acquired: true,
      recovered: `recovered a stale lock ${path} (pid 1 on elsewhere, \`costbench run\`, since 2025-03-01T02:00:00.000Z): it was taken on elsewhere more than 24 h ago`,
    });
    if (old.acquired) old.lock.release();
    writeFileSync(path, '{"pid":');
    utimesSync(path, new Date(now), new Date(now));
    expect(tryAcquireLock(path, 'costbench run', env)).toEqual({ acquired: false, path, holder: null });
    utimesSync(path, new Date(now - 60_000), new Date(now - 60_000));
    const unparsable = tryAcquireLock(path, 'costbench run', env);
    expect(unparsable).toMatchObject({
      acquired: true,
      recovered: `recovered a stale lock ${path} (holder unknown: the file is being written or is not a valid lock): the file is not a valid lock and is 60 s old`,
    });
    if (unparsable.acquired) unparsable.lock.release();
  });

  it('a live lock makes `costbench run` exit 75 with who holds it, before touching Ollama', async () => {
    const dir = tempDir();
    const db = join(dir, 'runs.db');
    const path = lockPathFor(db);
    const startedAt = new Date().toISOString();
    writeFileSync(
      path,
      JSON.stringify({
        pid: process.pid,
        hostname: hostname(),
        startedAt,
        command: 'costbench schedule --cron "0 2 * * *"',
      }),
    );
    const result = await runCli(['run', '--idle', '0', '--db', db], { OLLAMA_HOST: '127.0.0.1:59999' });
    expect(result.code).toBe(75);
    expect(result.stderr).toBe(
      `costbench: another run holds the lock ${path} (pid ${process.pid} on ${hostname()}, \`costbench schedule --cron "0 2 * * *"\`, since ${startedAt}): this run is skipped\n` +
        '  hint: Two runs on one machine would measure each other. Try again when it has finished; a lock whose process is gone is recovered by the next run.\n',
    );
    expect(readFileSync(path, 'utf8'), "the holder's lock is left alone").toContain(`"pid":${process.pid}`);
  });
});

describe('the run flags a scheduler passes on', () => {
  it('keeps a remote run remote, its spend cap and its price choice', () => {
    expect(
      runArgsFromFlags({
        maxSpend: '2.5',
        priceModel: 'gpt-4o-mini',
        remote: true,
        allowInsecure: true,
        batch: true,
      }),
    ).toEqual([
      '--max-spend',
      '2.5',
      '--price-model',
      'gpt-4o-mini',
      '--remote',
      '--allow-insecure',
      '--batch',
    ]);
    expect(runArgsFromFlags({ remote: false })).toEqual(['--no-remote']);
  });
});

describe('--print-cron and --print-systemd', () => {
  it('converts the common cron forms to OnCalendar', () => {
    expect(cronToOnCalendar('0 2 * * *')).toBe('*-*-* 02:00:00');
    expect(cronToOnCalendar('*/15 * * * *')).toBe('*-*-* *:00/15:00');
    expect(cronToOnCalendar('0 9 * * 1-5')).toBe('Mon..Fri *-*-* 09:00:00');
    expect(cronToOnCalendar('30 8-18/2 * * MON-FRI')).toBe('Mon..Fri *-*-* 08..18/2:30:00');
    expect(cronToOnCalendar('0 0 1,15 * *')).toBe('*-*-01,15 00:00:00');
    expect(cronToOnCalendar('0 3 * jan-mar 0,6')).toBe('Sat,Sun *-01..03-* 03:00:00');
    expect(cronToOnCalendar('0 0 * * */2'), 'every other weekday from Sunday').toBe(
      'Tue,Thu,Sat,Sun *-*-* 00:00:00',
    );
    expect(cronToOnCalendar('@weekly')).toBe('Sun *-*-* 00:00:00');
    expect(cronToOnCalendar('*/10 * * * * *'), 'seconds first').toBe('*-*-* *:*:00/10');
    expect(() => cronToOnCalendar('0 0 L * *')).toThrow(
      'cannot convert cron "0 0 L * *" to a systemd OnCalendar: the day of month field "L" uses syntax OnCalendar has no equivalent for',
    );
    expect(() => cronToOnCalendar('0 0 1 * 1')).toThrow('either the day of month or the weekday matches');
  });

  it('quotes for the shell and escapes % in a crontab line', () => {
    const line = formatCrontabLine('0 2 * * *', {
      cwd: '/home/me/bench dir',
      nodePath: '/usr/bin/node',
      cliPath: '/opt/costbench/main.js',
      runArgs: runArgsFromFlags({ model: "it's", suite: '50%.json', storeOutputs: false, coldStart: true }),
      env: [['OLLAMA_HOST', 'gpu-box:11434']],
      logPath: '/var/log/cb.log',
    });
    expect(line).toBe(
      "0 2 * * * cd '/home/me/bench dir' && OLLAMA_HOST=gpu-box:11434 /usr/bin/node /opt/costbench/main.js run --model 'it'\\''s' --suite 50\\%.json --cold-start --no-store-outputs >> /var/log/cb.log 2>&1\n",
    );
  });

  it('passes on every option `run` and `schedule` share', async () => {
    const options = async (command: string): Promise<string[]> =>
      [...(await runCli([command, '--help'])).stdout.matchAll(/^ {2}(--[a-z0-9-]+)/gm)].map(
        (m) => m[1] ?? '',
      );
    const run = await options('run');
    expect(
      run.filter((o) => o !== '--resume' && o !== '--help').sort(),
      'a run option print-cron would drop',
    ).toEqual([...PASSED_RUN_OPTIONS].sort());
    expect(await options('schedule')).toEqual(expect.arrayContaining([...PASSED_RUN_OPTIONS]));
  });

  it('prints the crontab line for `costbench run` with the given options', async () => {
    const dir = realpathSync(tempDir());
    const db = join(dir, 'runs.db');
    const result = await runCli(
      ['schedule', '--cron', '0 2 * * *', '--print-cron', '--model', 'llama3.2', '--idle', '0', '--db', db],
      {},
      dir,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(
      `0 2 * * * cd ${dir} && ${process.execPath} ${CLI} run --model llama3.2 --idle 0 --db ${db} >> ${join(dir, 'schedule.log')} 2>&1\n`,
    );
  });

  it('prints a service and a timer', async () => {
    const dir = realpathSync(tempDir());
    const result = await runCli(
      ['schedule', '--cron', '0 9 * * 1-5', '--print-systemd', '--repeat', '3', '--log', 'nightly.log'],
      { COSTBENCH_DB: join(dir, 'x.db') },
      dir,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(
      [
        '# costbench.service',
        '[Unit]',
        'Description=costbench scheduled run',
        'Wants=network-online.target',
        'After=network-online.target',
        '',
        '[Service]',
        'Type=oneshot',
        `WorkingDirectory=${dir}`,
        `Environment=COSTBENCH_DB=${join(dir, 'x.db')}`,
        `ExecStart=${process.execPath} ${CLI} run --repeat 3`,
        `StandardOutput=append:${join(dir, 'nightly.log')}`,
        `StandardError=append:${join(dir, 'nightly.log')}`,
        '# 75: skipped because another run held the lock; not a failure of this unit',
        'SuccessExitStatus=75',
        '',
        '# costbench.timer',
        '[Unit]',
        'Description=costbench scheduled run (cron "0 9 * * 1-5")',
        '',
        '[Timer]',
        'OnCalendar=Mon..Fri *-*-* 09:00:00',
        '',
        '[Install]',
        'WantedBy=timers.target',
        '',
      ].join('\n'),
    );
    const every15 = await runCli(
      ['schedule', '--cron', '*/15 * * * *', '--print-systemd', '--db', join(dir, 'x.db')],
      {},
      dir,
    );
    expect(every15.stdout).toContain('\nOnCalendar=*-*-* *:00/15:00\n');
    const daily = await runCli(
      ['schedule', '--cron', '0 2 * * *', '--print-systemd', '--db', join(dir, 'x.db')],
      {},
      dir,
    );
    expect(daily.stdout).toContain('\nOnCalendar=*-*-* 02:00:00\n');
  });

  it('a form OnCalendar cannot express, and a bad cron expression, exit 2 with one line and a hint', async () => {
    const dir = tempDir();
    const last = await runCli(
      ['schedule', '--cron', '0 0 L * *', '--print-systemd', '--db', join(dir, 'x.db')],
      {},
      dir,
    );
    expect(last.code).toBe(2);
    expect(last.stderr.split('\n')[0]).toBe(
      'costbench: cannot convert cron "0 0 L * *" to a systemd OnCalendar: the day of month field "L" uses syntax OnCalendar has no equivalent for',
    );
    const bad = await runCli(['schedule', '--cron', '0 2 * *', '--db', join(dir, 'x.db')], {}, dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /^costbench: bad cron expression "0 2 \* \*": invalid configuration format \('0 2 \* \*'\), exactly five, six, or seven space separated parts are required\.\n {2}hint: .+\n$/,
    );
    const range = await runCli(
      ['schedule', '--cron', '0 25 * * *', '--print-cron', '--db', join(dir, 'x.db')],
      {},
      dir,
    );
    expect(range.code).toBe(2);
    expect(range.stderr.split('\n')[0]).toBe(
      'costbench: bad cron expression "0 25 * * *": Invalid value for hour: 25',
    );
    expect(existsSync(join(dir, 'schedule.log')), 'nothing started').toBe(false);
  });
});

describe('the idle guard', () => {
  it('decides run, postpone, skip from the load', () => {
    const policy = { maxLoadPct: 20, maxPostpones: 2 };
    expect(decideIdle({ cpuPct: 25, gpuPct: null, notes: [] }, policy, 0)).toEqual({
      action: 'postpone',
      reason: 'CPU 25.0% above --max-load 20%',
    });
    expect(decideIdle({ cpuPct: 25, gpuPct: 97, notes: [] }, policy, 1)).toEqual({
      action: 'postpone',
      reason: 'CPU 25.0% and GPU 97.0% above --max-load 20%',
    });
    expect(decideIdle({ cpuPct: 3, gpuPct: 97, notes: [] }, policy, 2)).toEqual({
      action: 'skip',
      reason: 'GPU 97.0% above --max-load 20% after 2 postponements',
    });
    expect(decideIdle({ cpuPct: 20, gpuPct: 0, notes: [] }, policy, 0)).toEqual({
      action: 'run',
      reason: 'CPU 20.0%, GPU 0.0%, at or below --max-load 20%',
    });
    expect(
      decideIdle({ cpuPct: null, gpuPct: null, notes: [] }, policy, 0),
      'unknown load does not block',
    ).toEqual({ action: 'run', reason: 'CPU unknown, GPU unknown, at or below --max-load 20%' });
  });

  it('reads the busiest GPU from nvidia-smi', () => {
    expect(parseNvidiaUtilization('3\n97\n')).toBe(97);
    expect(parseNvidiaUtilization('[N/A]\n')).toBeNull();
  });

  it('samples /proc/stat twice: a busy fixture pair postpones, an idle one runs', async () => {
    const policy = { maxLoadPct: 20, maxPostpones: 6 };
    const pair = (a: number, b: number): ((path: string) => string) => {
      const texts = [STAT(a), STAT(b)];
      return () => texts.shift() ?? '';
    };
    const noWait = async (): Promise<void> => {};
    const busy = await sampleLoad({
      procRoot: '/fixture',
      env: { PATH: '' },
      readFile: pair(0, 1),
      sleep: noWait,
    });
    expect(busy).toEqual({ cpuPct: 25, gpuPct: null, notes: [] });
    expect(decideIdle(busy, policy, 0).action).toBe('postpone');
    const idle = await sampleLoad({
      procRoot: '/fixture',
      env: { PATH: '' },
      readFile: pair(1, 2),
      sleep: noWait,
    });
    expect(idle.cpuPct).toBe(0);
    expect(decideIdle(idle, policy, 0).action).toBe('run');
  });

  it('the scheduler postpones while busy, then skips, logging each decision', async () => {
    const lines: string[] = [];
    const stop = new AbortController();
    let runs = 0;
    let samples = 0;
    const done = runScheduler({
      cron: '* * * * * *',
      policy: { maxLoadPct: 20, maxPostpones: 2, postponeMs: 1 },
      describeRun: 'costbench run',
      log: (m) => {
        lines.push(m);
        if (m.startsWith('skipped: CPU')) stop.abort();
      },
      sampleLoad: async () => ({ cpuPct: 50 + samples++, gpuPct: null, notes: [] }),
      acquireLock: () => {
        throw new Error('not reached');
      },
      runOnce: async () => ({ runId: ++runs, status: 'completed', code: 0 }),
      sleep: async () => {},
      now: () => new Date(0),
      stop: stop.signal,
    });
    await done;
    expect(runs).toBe(0);
    expect(lines.slice(1)).toEqual([
      `postponed (1/2): CPU 50.0% above --max-load 20%; next check at ${formatLocalTime(new Date(1))}`,
      `postponed (2/2): CPU 51.0% above --max-load 20%; next check at ${formatLocalTime(new Date(1))}`,
      'skipped: CPU 52.0% above --max-load 20% after 2 postponements',
    ]);
  });

  it('log times are local with their offset and parse back to the same instant', () => {
    const at = new Date(Date.UTC(2025, 2, 1, 2, 0, 0, 4));
    expect(formatLocalTime(at)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.004[+-]\d\d:\d\d$/);
    expect(Date.parse(formatLocalTime(at))).toBe(at.getTime());
  });
});

describe('costbench schedule, end to end against the fake Ollama', () => {
  /** A PATH with only the fake nvidia-smi in front, reporting `util` percent. */
  function daemonEnv(dir: string, util: number, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    symlinkSync(join(FIXTURES, 'bin', 'nvidia-smi'), join(bin, 'nvidia-smi'));
    const proc = join(dir, 'proc');
    mkdirSync(proc);
    writeFileSync(join(proc, 'stat'), STAT(0));
    const config = join(dir, 'c.json');
    writeFileSync(config, JSON.stringify({ telemetry: { enabled: false } }));
    const gpus = [
      {
        name: 'NVIDIA GeForce RTX 4090',
        uuid: 'GPU-1',
        busId: '00000000:01:00.0',
        powerW: 30,
        limitW: 450,
        util,
        memMiB: 1,
        smMhz: 210,
        tempC: 35,
      },
    ];
    return {
      PATH: `${bin}:${process.env['PATH'] ?? ''}`,
      HOME: process.env['HOME'],
      COSTBENCH_PROC_ROOT: proc,
      COSTBENCH_CONFIG: config,
      COSTBENCH_NVML_LIB: 'none',
      FAKE_NVIDIA_GPUS: JSON.stringify(gpus),
      ...extra,
    };
  }

  function startDaemon(
    args: string[],
    env: NodeJS.ProcessEnv,
    cwd: string,
  ): { child: ChildProcess; stderr: () => string; exit: Promise<number | null> } {
    const child = spawn(process.execPath, [CLI, 'schedule', '--cron', '* * * * * *', ...args], {
      env,
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, stderr: () => stderr, exit };
  }

  it('runs on the schedule, logs start and finish, and SIGTERM stops it with 143', async () => {
    const dir = tempDir();
    const server = await startFakeOllama({ genTokensPerS: 5000, loadMs: 10 });
    const db = join(dir, 'runs.db');
    const log = join(dir, 'schedule.log');
    const daemon = startDaemon(
      ['--suite', SUITE, '--idle', '0', '--db', db, '--host', server.url],
      daemonEnv(dir, 3),
      dir,
    );
    try {
      await waitFor(() => existsSync(log) && /finish: /.test(readFileSync(log, 'utf8')), 'a finished run');
      daemon.child.kill('SIGTERM');
      expect(await daemon.exit, daemon.stderr()).toBe(143);
    } finally {
      daemon.child.kill('SIGKILL');
      await server.close();
    }
    const lines = readFileSync(log, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.replace(/^\S+ /, ''));
    expect(lines[0]).toMatch(
      /^scheduler started \(pid \d+\): cron "\* \* \* \* \* \*" runs `costbench run --suite \S+ --idle 0 --host http:\/\/127\.0\.0\.1:\d+ --db \S+`, log \S+schedule\.log$/,
    );
    expect(lines[1]).toMatch(/^next run at \d{4}-/);
    expect(lines).toContain('CPU load unknown: no CPU time passed between two /proc/stat reads');
    expect(lines.find((l) => l.startsWith('start: '))).toMatch(
      /^start: costbench run --suite .* \(CPU unknown, GPU 3\.0%, at or below --max-load 20%\)$/,
    );
    expect(lines).toContain('finish: run 1, status completed, exit 0');
    expect(lines[lines.length - 1]).toBe('stopped (exit 143)');
    expect(daemon.stderr(), 'prints the next fire time after the run').toMatch(
      /finish: run 1, status completed, exit 0\n\S+ next run at /,
    );
    expect(existsSync(lockPathFor(db)), 'lock released').toBe(false);
    const sqlite = new Database(db, { readonly: true });
    expect(sqlite.prepare('SELECT id, status FROM runs').all()).toEqual([{ id: 1, status: 'completed' }]);
    sqlite.close();
  }, 15_000);

  it('SIGTERM during a run aborts it (stored as aborted) and exits 143', async () => {
    const dir = tempDir();
    const server = await startFakeOllama({ genTokensPerS: 40, loadMs: 10 });
    const db = join(dir, 'runs.db');
    const daemon = startDaemon(
      ['--suite', SUITE, '--idle', '0', '--db', db, '--host', server.url],
      daemonEnv(dir, 0),
      dir,
    );
    try {
      await waitFor(() => server.requests.some((r) => r.doneReason !== 'load'), 'a measured request');
      daemon.child.kill('SIGTERM');
      expect(await daemon.exit, daemon.stderr()).toBe(143);
    } finally {
      daemon.child.kill('SIGKILL');
      await server.close();
    }
    const log = readFileSync(join(dir, 'schedule.log'), 'utf8');
    expect(log).toMatch(/ finish: run 1, status aborted, exit 143\n\S+ stopped \(exit 143\)\n$/);
    const sqlite = new Database(db, { readonly: true });
    expect(sqlite.prepare('SELECT status FROM runs').all()).toEqual([{ status: 'aborted' }]);
    sqlite.close();
  }, 15_000);

  it('a busy GPU postpones the run, then skips it', async () => {
    const dir = tempDir();
    const daemon = startDaemon(
      [
        '--max-postpones',
        '1',
        '--postpone-minutes',
        '0.001',
        '--db',
        join(dir, 'runs.db'),
        '--host',
        '127.0.0.1:59999',
      ],
      daemonEnv(dir, 97),
      dir,
    );
    const log = join(dir, 'schedule.log');
    try {
      await waitFor(() => existsSync(log) && /skipped: GPU/.test(readFileSync(log, 'utf8')), 'a skipped run');
      daemon.child.kill('SIGINT');
      expect(await daemon.exit, daemon.stderr()).toBe(130);
    } finally {
      daemon.child.kill('SIGKILL');
    }
    const text = readFileSync(log, 'utf8');
    expect(text).toMatch(/ postponed \(1\/1\): GPU 97\.0% above --max-load 20%; next check at \S+\n/);
    expect(text).toMatch(/ skipped: GPU 97\.0% above --max-load 20% after 1 postponement\n/);
    expect(text).not.toMatch(/ start: /);
  }, 15_000);
});
