/**
 * Running a one-shot tool (nvidia-smi, pmset) for the machine state: found on an injected PATH,
 * killed past a short timeout, and never left to hang the run even if it ignores signals or a
 * child of it holds its output open. A failure is an outcome, never a throw.
 */
import { execFile } from 'node:child_process';
import { describeFailure } from '../telemetry/line-process.js';
import { findExecutable } from '../telemetry/which.js';

/** The outcome of one tool run: its stdout, or one line saying why there is none. */
export type ToolOutcome = { ok: true; stdout: string } | { ok: false; error: string };

/** Runs a tool by name with arguments; injected so tests and callers can replace it. Never rejects. */
export type ToolExec = (tool: string, args: readonly string[]) => Promise<ToolOutcome>;

/** Limit on each tool run: these are quick queries, and the run waits for them. */
export const TOOL_TIMEOUT_MS = 5_000;
/** After the kill, how long to wait for the process to go before giving up on it. */
const KILL_GRACE_MS = 1_000;
const MAX_OUTPUT_BYTES = 1024 * 1024;

/** A {@link ToolExec} that looks tools up on `env.PATH` and runs them with `env`, each under `timeoutMs`. */
export function toolExecFromPath(env: NodeJS.ProcessEnv, timeoutMs = TOOL_TIMEOUT_MS): ToolExec {
  return (tool, args) => {
    const path = findExecutable(tool, env);
    if (path === null) return Promise.resolve({ ok: false, error: `${tool} not found on PATH` });
    return runWithDeadline(tool, path, args, env, timeoutMs);
  };
}

function runWithDeadline(
  tool: string,
  path: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<ToolOutcome> {
  const timedOut: ToolOutcome = { ok: false, error: `${tool} did not answer within ${timeoutMs} ms` };
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: ToolOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(outcome);
    };
    const options = {
      env,
      timeout: timeoutMs,
      killSignal: 'SIGKILL' as const,
      maxBuffer: MAX_OUTPUT_BYTES,
      encoding: 'utf8' as const,
    };
    const child = execFile(path, args, options, (err, stdout, stderr) => {
      if (err === null) return settle({ ok: true, stdout });
      if (err.killed === true && err.signal === 'SIGKILL') return settle(timedOut);
      const code = typeof err.code === 'number' ? err.code : null;
      const signal = (err.signal ?? null) as NodeJS.Signals | null;
      const error = code === null && signal === null ? err.message : null;
      settle({ ok: false, error: describeFailure(tool, { code, signal, error, stdout, stderr }) });
    });
    // execFile reports only once stdout closes; a grandchild holding it open would keep it waiting.
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      child.stdout?.destroy();
      child.stderr?.destroy();
      settle(timedOut);
    }, timeoutMs + KILL_GRACE_MS);
  });
}
