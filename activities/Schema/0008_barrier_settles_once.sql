-- A branch is settled once: confirm and cancel of the same (gid, branch_id) exclude each other through this index,
-- so the barrier decides between them inside the business statement, without an extra round trip.
CREATE UNIQUE INDEX barrier_settles_once ON funds.barrier (gid, branch_id) WHERE op IN ('confirm', 'cancel');
CREATE UNIQUE INDEX barrier_settles_once ON points.barrier (gid, branch_id) WHERE op IN ('confirm', 'cancel');
