import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { computeCounterPeriodMs, measureCounterPeriodsMs } from '../src/telemetry/nvml/counter-period.js';
import {
  describeLoadFailure,
  LINUX_DRIVER_DIRS,
  listNvmlCandidates,
  loadFirst,
  openNvml,
} from '../src/telemetry/nvml/library.js';
import { buildFakeNvml } from './support/fake-nvml/build.js';
import { useTempDir } from './support/temp.js';

const fake = buildFakeNvml();
afterAll(() => {
  if (fake.ok) fake.remove();
});
const tempDir = useTempDir('costbench-nvml-lib-');

describe('listNvmlCandidates', () => {
  it('Linux: the bare soname, then each driver directory; never the unversioned stub', () => {
    const listed = listNvmlCandidates({ env: {}, platform: 'linux' });
    expect(listed, 'order').toEqual({
      ok: true,
      candidates: [
        'libnvidia-ml.so.1',
        '/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1',
        '/usr/lib64/libnvidia-ml.so.1',
        '/usr/lib/wsl/lib/libnvidia-ml.so.1',
        '/run/opengl-driver/lib/libnvidia-ml.so.1',
        '/usr/lib/aarch64-linux-gnu/libnvidia-ml.so.1',
      ],
    });
    expect(LINUX_DRIVER_DIRS.length, 'five directories').toBe(5);
  });

  it('COSTBENCH_NVML_LIB alone when set; none turns NVML off; the unversioned stub is refused', () => {
    expect(
      listNvmlCandidates({ env: { COSTBENCH_NVML_LIB: '/opt/x/libnvidia-ml.so.1' }, platform: 'linux' }),
    ).toEqual({ ok: true, candidates: ['/opt/x/libnvidia-ml.so.1'] });
    expect(listNvmlCandidates({ env: { COSTBENCH_NVML_LIB: 'none' }, platform: 'linux' })).toEqual({
      ok: false,
      reason: 'NVML turned off (COSTBENCH_NVML_LIB=none)',
      hint: null,
    });
    const stub = listNvmlCandidates({
      env: { COSTBENCH_NVML_LIB: '/usr/local/cuda/lib64/stubs/libnvidia-ml.so' },
      platform: 'linux',
    });
    expect(stub.ok, 'stub refused').toBe(false);
    expect(stub.ok ? '' : stub.reason).toContain("CUDA toolkit's link stub");
  });

  it('Windows: nvml.dll by name, in System32, in NVSMI; elsewhere NVML is not tried', () => {
    expect(
      listNvmlCandidates({
        env: { SystemRoot: 'C:\\Windows', ProgramFiles: 'C:\\Program Files' },
        platform: 'win32',
      }),
    ).toEqual({
      ok: true,
      candidates: [
        'nvml.dll',
        'C:\\Windows\\System32\\nvml.dll',
        'C:\\Program Files\\NVIDIA Corporation\\NVSMI\\nvml.dll',
      ],
    });
    expect(listNvmlCandidates({ env: {}, platform: 'darwin' })).toEqual({
      ok: false,
      reason: 'NVML is read on Linux and Windows only (this is darwin)',
      hint: null,
    });
  });
});

describe('loadFirst', () => {
  it('tries in order, skips absent paths, never loads an unversioned file beside them', () => {
    const root = tempDir();
    const [stubOnly, driver] = [join(root, 'cuda-stubs'), join(root, 'driver')];
    mkdirSync(stubOnly);
    mkdirSync(driver);
    writeFileSync(join(stubOnly, 'libnvidia-ml.so'), 'stub');
    writeFileSync(join(driver, 'libnvidia-ml.so.1'), 'driver');
    const listed = listNvmlCandidates({ env: {}, platform: 'linux', dirs: [stubOnly, driver] });
    if (!listed.ok) throw new Error(listed.reason);
    const loadedPaths: string[] = [];
    const result = loadFirst(listed.candidates, (path) => {
      loadedPaths.push(path);
      if (path === 'libnvidia-ml.so.1')
        throw new Error('Failed to load shared library: cannot open shared object file');
      return path;
    });
    expect(loadedPaths, 'dlopen calls').toEqual(['libnvidia-ml.so.1', join(driver, 'libnvidia-ml.so.1')]);
    expect(result).toEqual({
      ok: true,
      lib: join(driver, 'libnvidia-ml.so.1'),
      path: join(driver, 'libnvidia-ml.so.1'),
    });
  });

  it('a failure lists every path tried and why', () => {
    const root = tempDir();
    const result = loadFirst(['libnvidia-ml.so.1', join(root, 'libnvidia-ml.so.1')], () => {
      throw new Error('Failed to load shared library: libnvidia-ml.so.1: cannot open shared object file');
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(describeLoadFailure(result.tried)).toBe(
      'NVML library not loaded (tried libnvidia-ml.so.1: Failed to load shared library: libnvidia-ml.so.1: ' +
        `cannot open shared object file; ${join(root, 'libnvidia-ml.so.1')}: absent)`,
    );
  });

  it("openNvml names the file koffi could not load (koffi's own error has no path)", async () => {
    const bogus = join(tempDir(), 'libnvidia-ml.so.1');
    writeFileSync(bogus, 'not an ELF file');
    const opened = await openNvml({ env: { COSTBENCH_NVML_LIB: bogus }, platform: 'linux' });
    expect(opened.ok).toBe(false);
    expect(opened.ok ? '' : opened.reason).toContain(`NVML library not loaded (tried ${bogus}: `);
  });

  it.skipIf(!fake.ok)(
    `openNvml binds the fake's functions${fake.ok ? '' : ` (skipped: ${fake.reason})`}`,
    async () => {
      if (!fake.ok) return;
      const opened = await openNvml({ env: { COSTBENCH_NVML_LIB: fake.path }, platform: 'linux' });
      if (!opened.ok) throw new Error(opened.reason);
      expect(opened.path).toBe(fake.path);
      expect(opened.api.errorString(9), 'nvmlErrorString').toBe('Driver Not Loaded');
    },
  );
});

describe('counter period', () => {
  it('is the median gap between changes, rounded to 1 ms', () => {
    expect(computeCounterPeriodMs([0, 50, 100, 150, 200]), 'even').toBe(50);
    expect(computeCounterPeriodMs([10, 60, 160, 210]), 'one missed change').toBe(50);
    expect(computeCounterPeriodMs([0, 99.6, 200, 300, 401]), 'rounded').toBe(100);
    expect(computeCounterPeriodMs([5]), 'one change').toBeNull();
    expect(computeCounterPeriodMs([]), 'none').toBeNull();
  });

  it('is measured on a simulated clock, and null for a counter that never moves', async () => {
    let t = 0;
    const periods = await measureCounterPeriodsMs({
      readers: [() => BigInt(Math.floor(t / 20)), () => 7n],
      now: () => t,
      sleep: async (ms) => {
        t += ms;
      },
      budgetMs: 1000,
    });
    expect(periods).toEqual([20, null]);
  });
});
