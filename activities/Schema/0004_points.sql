-- User points accounts (TCC participant) and their barrier.
CREATE SCHEMA points;

CREATE TABLE points.accounts (
    user_id        text PRIMARY KEY,
    points         bigint NOT NULL DEFAULT 0 CHECK (points >= 0),
    pending_points bigint NOT NULL DEFAULT 0 CHECK (pending_points >= 0),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE points.barrier (
    gid        text NOT NULL,
    branch_id  text NOT NULL,
    op         text NOT NULL CHECK (op IN ('try', 'confirm', 'cancel')),
    reason     text NOT NULL CHECK (reason IN ('try', 'confirm', 'cancel')),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (gid, branch_id, op)
);
