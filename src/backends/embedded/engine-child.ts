/**
 * The engine process: costbench forks it and talks to it over IPC (protocol.ts). It owns
 * node-llama-cpp and llama.cpp: a native crash, an out-of-memory kill or a spinning compute
 * thread ends or slows this process, never the harness. It exits when the harness goes away.
 */
import {
  EngineError,
  inspectModel,
  loadModel,
  startEngine,
  unloadModel,
  type EngineState,
} from './engine-load.js';
import { clearGenerateCaches, generate } from './engine-generate.js';
import type { EngineFailure, FromEngine, ToEngine } from './protocol.js';

const startedAt = performance.now();
const now = (): number => performance.now();
let engine: Promise<EngineState> | null = null;
const cancelled = new Set<number>();

function send(message: FromEngine): void {
  process.send?.(message);
}

function failureOf(error: unknown): EngineFailure {
  if (error instanceof EngineError) return error.failure;
  const message = error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error);
  return { kind: 'internal', message: `engine: ${message}`, hint: null };
}

function started(): Promise<EngineState> {
  engine ??= startEngine(startedAt, now);
  return engine;
}

async function handle(message: ToEngine): Promise<void> {
  const { id } = message;
  try {
    switch (message.type) {
      case 'start':
        return send({ type: 'started', id, info: (await started()).info });
      case 'inspect':
        return send({ type: 'inspected', id, facts: await inspectModel(await started(), message.path) });
      case 'load': {
        const e = await started();
        await unloadModel(e);
        clearGenerateCaches();
        return send({ type: 'loaded', id, loaded: await loadModel(e, message.path, message.settings, now) });
      }
      case 'unload':
        await unloadModel(await started());
        clearGenerateCaches();
        return send({ type: 'unloaded', id });
      case 'cancel':
        cancelled.add(id);
        return;
      case 'generate': {
        const e = await started();
        const io = {
          now,
          sendPieces: (pieces: string[]) => send({ type: 'pieces', id, pieces }),
          cancelled: () => cancelled.has(id),
        };
        const out = await generate(e, message.request, io);
        return send({ type: 'done', id, ...out });
      }
    }
  } catch (error) {
    send({ type: 'failed', id, failure: failureOf(error) });
  } finally {
    if (message.type === 'generate') cancelled.delete(id);
  }
}

process.on('message', (message: ToEngine) => void handle(message));
// The harness is gone (it exited or was killed): nothing is left to measure for.
// This file is the engine child process's own entry point, so it ends its own process.
// eslint-disable-next-line no-restricted-properties
process.on('disconnect', () => process.exit(0));
