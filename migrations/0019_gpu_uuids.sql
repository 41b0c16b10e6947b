-- A machine told apart by its GPUs, not only their model (issue 20's fleet report): the UUIDs of the
-- GPUs a source named at the run's start (nvidia-smi's uuid, NVML's nvmlDeviceGetUUID), as a sorted
-- JSON array of strings such as "GPU-5f3b2c1a-9d4e-4c7b-8a61-2f0e9d8c7b6a". NULL: not recorded (older
-- runs), or no source knew one (no NVIDIA GPU, no driver).
ALTER TABLE run_machines ADD COLUMN gpu_uuids_json TEXT;
