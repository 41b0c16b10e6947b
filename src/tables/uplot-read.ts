import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { CostbenchError, describeError, EXIT } from '../errors.js';
import type { UplotAssets } from '../report/html/render.js';

/** Reads uPlot's browser build, stylesheet and licence from the installed package. */
export function readUplotAssets(): UplotAssets {
  try {
    const require = createRequire(import.meta.url);
    const jsPath = require.resolve('uplot/dist/uPlot.iife.min.js');
    const licence = readFileSync(require.resolve('uplot/LICENSE'), 'utf8').replaceAll('*/', '* /').trim();
    const version =
      (JSON.parse(readFileSync(require.resolve('uplot/package.json'), 'utf8')) as { version?: string })
        .version ?? 'unknown';
    return {
      js: `/*! uPlot ${version}, https://github.com/leeoniya/uPlot\n${licence}\n*/\n${readFileSync(jsPath, 'utf8')}`,
      css: `/*! uPlot ${version} (MIT licence, see the script below) */\n${readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8')}`,
    };
  } catch (error) {
    throw new CostbenchError(`cannot read the uplot package for the HTML report: ${describeError(error)}`, {
      hint: 'Reinstall costbench (uplot is one of its dependencies).',
      exitCode: EXIT.internal,
      cause: error,
    });
  }
}
