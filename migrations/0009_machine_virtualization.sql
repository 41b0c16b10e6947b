-- Whether the run's machine was a virtual machine (issue 15 item 4). A guest cannot see its host's
-- power, so the report says so and calls any estimate a guest-side estimate. Runs written before
-- this migration have NULL in all three columns: not recorded (no signal was read then).

-- 1: some signal said VM; 0: signals were read and none did; NULL: nothing could be read, or not recorded
ALTER TABLE run_machines ADD COLUMN is_vm INTEGER CHECK (is_vm IN (0, 1));
-- the hypervisor or cloud a signal named ("KVM", "Amazon EC2"); NULL when none did
ALTER TABLE run_machines ADD COLUMN vm_host TEXT;
-- every signal read: [{"signal": "cpuinfo" | "dmi" | "systeminformation", "saysVm": bool, "detail": "..."}];
-- NULL: not recorded (a run from before this migration)
ALTER TABLE run_machines ADD COLUMN vm_evidence_json TEXT;
