import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, NotFoundError, describeError } from '../errors.js';
import type { Suite } from '../suites/schema.js';
import { parseBatchInput, parseBatchOutput, type BatchAnswer, type SkippedRequest } from './openai-batch.js';
import { stripByteOrderMark } from '../util/byte-order-mark.js';

/** A batch input file as a suite, with the API's answers to its requests when the output file is given. */
export interface LoadedReplay {
  suite: Suite;
  /** Task id -> the request's original custom_id. */
  customIds: Map<string, string>;
  skipped: SkippedRequest[];
  /** Task id -> the API's answer and billed usage; null without an output file. */
  references: Map<string, BatchAnswer> | null;
  /** custom_ids of output lines that match no request line (in output order). */
  unmatched: string[];
  /** custom_ids of replayed requests that have no output line (in request order). */
  missing: string[];
  /** The `body.model` every replayed request names; null when they differ or one names none. */
  apiModel: string | null;
}

/** What matching the output lines to the requests gives. */
export type MatchedReferences = Pick<LoadedReplay, 'references' | 'unmatched' | 'missing'>;

/**
 * Matches output lines to requests by custom_id. Pure. Output lines of skipped requests are
 * neither references nor unmatched: the request exists, it is just not replayed.
 */
function matchReferences(
  customIds: ReadonlyMap<string, string>,
  skipped: readonly SkippedRequest[],
  answers: ReadonlyMap<string, BatchAnswer>,
): MatchedReferences {
  const references = new Map<string, BatchAnswer>();
  const missing: string[] = [];
  for (const [taskId, customId] of customIds) {
    const answer = answers.get(customId);
    if (answer === undefined) missing.push(customId);
    else references.set(taskId, answer);
  }
  const known = new Set([...customIds.values(), ...skipped.map((s) => s.customId)]);
  return { references, unmatched: [...answers.keys()].filter((id) => !known.has(id)), missing };
}

function readText(ref: string, cwd: string, what: string): string {
  const path = resolve(cwd, ref);
  try {
    // A byte-order mark (some Windows editors write one) is no JSON token.
    return stripByteOrderMark(readFileSync(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new NotFoundError(
        `replay ${what} file not found: ${path}`,
        `Check the ${what === 'requests' ? '--replay' : '--replay-output'} path.`,
      );
    }
    throw new ConfigError(
      `replay ${what} file ${path}: cannot read it: ${describeError(error)}`,
      'Pass a readable file.',
      error,
    );
  }
}

/** Several output files (the output file and its error file) merge; a custom_id in two of them is an error. */
function readAnswers(files: readonly string[], cwd: string): Map<string, BatchAnswer> {
  const merged = new Map<string, BatchAnswer>();
  const fileOf = new Map<string, string>();
  for (const file of files) {
    for (const [customId, answer] of parseBatchOutput(readText(file, cwd, 'output'), file)) {
      const other = fileOf.get(customId);
      if (other !== undefined)
        throw new ConfigError(
          `replay ${file}: custom_id "${customId}" is also in ${other}`,
          'Give each result once: the output file and the error file of one batch.',
        );
      fileOf.set(customId, file);
      merged.set(customId, answer);
    }
  }
  return merged;
}

/**
 * Reads an OpenAI Batch API input file and, when given, its output file (or several: the output
 * file and its error file) and matches the API's answers to the replayed tasks. Paths are relative
 * to `cwd`; errors name them as given.
 * @throws NotFoundError for a missing file; ConfigError for a malformed one.
 */
export function loadReplay(
  requestsFile: string,
  outputFile: string | readonly string[] | undefined,
  cwd: string,
): LoadedReplay {
  const parsed = parseBatchInput(readText(requestsFile, cwd, 'requests'), requestsFile);
  const base = {
    suite: parsed.suite,
    customIds: parsed.customIds,
    skipped: parsed.skipped,
    apiModel: parsed.apiModel,
  };
  if (outputFile === undefined) return { ...base, references: null, unmatched: [], missing: [] };
  const files = typeof outputFile === 'string' ? [outputFile] : outputFile;
  return { ...base, ...matchReferences(parsed.customIds, parsed.skipped, readAnswers(files, cwd)) };
}
