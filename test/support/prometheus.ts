import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Where .ci/run unpacks Debian's prometheus package (`apt-get download` + `dpkg-deb -x`): the
 * binaries link only libc, so no install is needed.
 */
export const CI_PROMETHEUS_BIN = join(
  import.meta.dirname,
  '..',
  '..',
  '.ci',
  'tools',
  'prometheus',
  'usr',
  'bin',
);

/** A Prometheus binary (`prometheus` or `promtool`): on PATH, or where .ci/run unpacks it; null when absent. */
export function findPrometheusTool(name: 'prometheus' | 'promtool'): string | null {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter), CI_PROMETHEUS_BIN];
  for (const dir of dirs) {
    const path = join(dir, name);
    if (dir !== '' && existsSync(path)) return path;
  }
  return null;
}
