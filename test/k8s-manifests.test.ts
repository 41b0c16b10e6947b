import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { k8sManifests, type K8sJob } from '../src/schedule/k8s-manifests.js';
import { toYamlDocuments } from '../src/schedule/yaml-text.js';

const ROOT = join(import.meta.dirname, '..');

const JOB: K8sJob = {
  cron: '0 2 * * *',
  image: 'registry.example/costbench:0.1.0',
  namespace: 'bench',
  runArgs: ['--model', 'qwen3:8b', '--suite', 'triage', '--db', '/data/x.db', '--idle', '30'],
  env: [['OLLAMA_HOST', 'http://ollama:11434']],
  gpu: 'nvidia',
  nodeSelector: null,
  results: { pvc: 'costbench-results' },
};

describe('Kubernetes manifests of a scheduled run', () => {
  it('a CronJob that never overlaps, on a GPU node, one GPU, bundles to the results volume', () => {
    const { cronJob } = k8sManifests(JOB);
    const spec = cronJob['spec'] as Record<string, unknown>;
    expect(spec['schedule']).toBe('0 2 * * *');
    expect(spec['concurrencyPolicy']).toBe('Forbid');
    const pod = (
      ((spec['jobTemplate'] as Record<string, unknown>)['spec'] as Record<string, unknown>)[
        'template'
      ] as Record<string, unknown>
    )['spec'] as Record<string, unknown>;
    expect(pod['nodeSelector']).toEqual({ 'nvidia.com/gpu.present': 'true' });
    const container = (pod['containers'] as Record<string, unknown>[])[0] as Record<string, unknown>;
    expect(container['resources']).toEqual({ limits: { 'nvidia.com/gpu': 1 } });
    // The run's --db is replaced by the pod's own; the bundle goes to /results.
    expect((container['command'] as string[])[2]).toBe(
      'costbench run --model qwen3:8b --suite triage --idle 30 --db /work/costbench.db; status=$?\n' +
        'costbench export --all --db /work/costbench.db -o "/results/costbench-$NODE_NAME-$POD_NAME.costbench.jsonl.gz" || status=$?\n' +
        'exit $status',
    );
    expect(pod['volumes']).toEqual([
      { name: 'work', emptyDir: {} },
      { name: 'results', persistentVolumeClaim: { claimName: 'costbench-results' } },
    ]);
    expect(container['env']).toContainEqual({ name: 'NVIDIA_DRIVER_CAPABILITIES', value: 'compute,utility' });
    expect(container['env']).toContainEqual({ name: 'OLLAMA_HOST', value: 'http://ollama:11434' });
  });

  it('asks an AMD node for amd.com/gpu, and a host path when given', () => {
    const { job } = k8sManifests({ ...JOB, gpu: 'amd', results: { hostPath: '/var/lib/costbench' } });
    const pod = ((job['spec'] as Record<string, unknown>)['template'] as Record<string, unknown>)[
      'spec'
    ] as Record<string, unknown>;
    expect(pod['nodeSelector']).toEqual({ 'feature.node.kubernetes.io/amd-gpu': 'true' });
    const container = (pod['containers'] as Record<string, unknown>[])[0] as Record<string, unknown>;
    expect(container['resources']).toEqual({ limits: { 'amd.com/gpu': 1 } });
    expect((pod['volumes'] as unknown[])[1]).toEqual({
      name: 'results',
      hostPath: { path: '/var/lib/costbench', type: 'DirectoryOrCreate' },
    });
    expect(job['kind']).toBe('Job');
    expect(job['metadata']).toEqual({
      name: 'costbench-once',
      namespace: 'bench',
      labels: { 'app.kubernetes.io/name': 'costbench', 'app.kubernetes.io/component': 'benchmark' },
    });
  });
});

describe('the YAML writer', () => {
  it('writes blocks, quoted strings and empty collections', () => {
    expect(
      toYamlDocuments([{ a: 'yes', b: 1, c: [{ d: '0755', e: [] }, 'x'], f: {}, 'g h': true }, { z: null }]),
    ).toBe(
      [
        'a: "yes"',
        'b: 1',
        'c:',
        '  - d: "0755"',
        '    e: []',
        '  - "x"',
        'f: {}',
        '"g h": true',
        '---',
        'z: null',
        '',
      ].join('\n'),
    );
  });
});

describe('the Dockerfile (checked as text; no Docker engine here)', () => {
  const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    bin: Record<string, string>;
    engines: { node: string };
    files: string[];
  };

  it('copies only paths that exist, and everything the package ships', () => {
    const sources = [...text.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) =>
      (m[1] as string).split(' '),
    );
    expect(sources.filter((s) => !existsSync(join(ROOT, s)))).toEqual([]);
    const shipped = pkg.files.filter((f) => !['README.md', 'docs', 'config.example.json'].includes(f));
    for (const f of shipped) expect(text, f).toMatch(new RegExp(`COPY (--from=build /src/)?${f} `));
  });

  it('puts the package bin on PATH as costbench, on the Node major the package needs', () => {
    expect(text).toContain(`ln -s /opt/costbench/${pkg.bin['costbench']} /usr/local/bin/costbench`);
    const major = /^>=(\d+)/.exec(pkg.engines.node)?.[1];
    expect([...text.matchAll(/^FROM node:(\d+)-/gm)].map((m) => m[1])).toEqual([major, major]);
  });
});

describe('the printed manifests against the Kubernetes API schemas (kubernetes-models)', () => {
  it('parses as YAML and validates as a batch/v1 CronJob and Job, for each GPU vendor and volume', async () => {
    const { CronJob, Job } = await import('kubernetes-models/batch/v1');
    const { parseAllDocuments } = await import('yaml');
    const variants: K8sJob[] = [
      JOB,
      { ...JOB, gpu: 'amd', results: { hostPath: '/var/lib/costbench' }, namespace: null },
      { ...JOB, gpu: 'none', nodeSelector: { 'kubernetes.io/hostname': 'box-1' } },
    ];
    for (const variant of variants) {
      const { cronJob, job } = k8sManifests(variant);
      const documents = parseAllDocuments(toYamlDocuments([cronJob, job])).map((d) => d.toJS() as object);
      // The YAML reads back as the very objects that were written.
      expect(documents).toEqual([cronJob, job]);
      expect(() =>
        new CronJob(documents[0] as ConstructorParameters<typeof CronJob>[0]).validate(),
      ).not.toThrow();
      expect(() => new Job(documents[1] as ConstructorParameters<typeof Job>[0]).validate()).not.toThrow();
    }
  });

  it('would catch a broken manifest: the schema check is not a formality', async () => {
    const { CronJob } = await import('kubernetes-models/batch/v1');
    const { cronJob } = k8sManifests(JOB);
    const broken = { ...cronJob, spec: { ...(cronJob['spec'] as object), concurrencyPolicy: 7 } };
    expect(() =>
      new CronJob(broken as unknown as ConstructorParameters<typeof CronJob>[0]).validate(),
    ).toThrow();
  });
});
