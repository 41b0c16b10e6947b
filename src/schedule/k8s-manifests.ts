/**
 * What `costbench schedule --print-k8s` prints: a CronJob that runs `costbench run` on a GPU node on
 * the schedule, and a one-off Job that does it now. Each run measures into a database in the pod's
 * own storage and exports it as a bundle to the results volume (a PVC or a host path); collect the
 * bundles with `costbench import`. Printed only, never applied. Pure.
 */
import { shellQuote } from './unit-files.js';
import type { YamlValue } from './yaml-text.js';

export type GpuVendor = 'nvidia' | 'amd' | 'none';

export interface K8sJob {
  /** Cron expression (5 fields); the Job has none. */
  cron: string;
  image: string;
  namespace: string | null;
  /** Everything after `run`; a --db is dropped (the pod's database is its own). */
  runArgs: readonly string[];
  env: readonly (readonly [string, string])[];
  gpu: GpuVendor;
  /** Node labels the pod must run on; default: the vendor's GPU label. */
  nodeSelector: Record<string, string> | null;
  /** Results: a PersistentVolumeClaim by name, or a directory on the node. */
  results: { pvc: string } | { hostPath: string };
}

/** Where each vendor's device plugin / operator labels GPU nodes, and the resource it advertises. */
const GPU = {
  nvidia: { resource: 'nvidia.com/gpu', label: ['nvidia.com/gpu.present', 'true'] },
  amd: { resource: 'amd.com/gpu', label: ['feature.node.kubernetes.io/amd-gpu', 'true'] },
} as const;

const RESULTS = '/results';
const NAME = 'costbench';
const LABELS = { 'app.kubernetes.io/name': NAME, 'app.kubernetes.io/component': 'benchmark' };

function withoutDb(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (arg === '--db') i += 1;
    else if (!arg.startsWith('--db=')) out.push(arg);
  }
  return out;
}

/** The container's shell line: run into the pod's own database, export a bundle, exit with the run's status. */
function script(job: K8sJob): string {
  const run = ['costbench', 'run', ...withoutDb(job.runArgs).map(shellQuote), '--db', '/work/costbench.db'];
  return [
    `${run.join(' ')}; status=$?`,
    `costbench export --all --db /work/costbench.db -o "${RESULTS}/costbench-$NODE_NAME-$POD_NAME.costbench.jsonl.gz" || status=$?`,
    'exit $status',
  ].join('\n');
}

function podSpec(job: K8sJob): { [key: string]: YamlValue } {
  const gpu = job.gpu === 'none' ? null : GPU[job.gpu];
  const selector = job.nodeSelector ?? (gpu === null ? null : { [gpu.label[0]]: gpu.label[1] });
  const env: YamlValue[] = [
    { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
    { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    // The NVIDIA container toolkit mounts the driver's tools and NVML (utility) into the container.
    ...(job.gpu === 'nvidia' ? [{ name: 'NVIDIA_DRIVER_CAPABILITIES', value: 'compute,utility' }] : []),
    ...job.env.map(([name, value]) => ({ name, value })),
  ];
  const volumes: YamlValue[] = [
    { name: 'work', emptyDir: {} },
    'pvc' in job.results
      ? { name: 'results', persistentVolumeClaim: { claimName: job.results.pvc } }
      : { name: 'results', hostPath: { path: job.results.hostPath, type: 'DirectoryOrCreate' } },
  ];
  return {
    restartPolicy: 'Never',
    ...(selector === null ? {} : { nodeSelector: selector }),
    containers: [
      {
        name: NAME,
        image: job.image,
        command: ['/bin/sh', '-c', script(job)],
        env,
        ...(gpu === null ? {} : { resources: { limits: { [gpu.resource]: 1 } } }),
        volumeMounts: [
          { name: 'work', mountPath: '/work' },
          { name: 'results', mountPath: RESULTS },
        ],
      },
    ],
    volumes,
  };
}

function metadata(job: K8sJob, name: string): { [key: string]: YamlValue } {
  return { name, ...(job.namespace === null ? {} : { namespace: job.namespace }), labels: LABELS };
}

/** The CronJob and the one-off Job, as objects (the caller writes them as YAML). */
export function k8sManifests(job: K8sJob): {
  cronJob: { [key: string]: YamlValue };
  job: { [key: string]: YamlValue };
} {
  const jobSpec = { backoffLimit: 0, template: { metadata: { labels: LABELS }, spec: podSpec(job) } };
  return {
    cronJob: {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: metadata(job, NAME),
      spec: {
        schedule: job.cron,
        // One run at a time: two runs on one node would share its GPU and its power readings.
        concurrencyPolicy: 'Forbid',
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: { spec: jobSpec },
      },
    },
    job: { apiVersion: 'batch/v1', kind: 'Job', metadata: metadata(job, `${NAME}-once`), spec: jobSpec },
  };
}
