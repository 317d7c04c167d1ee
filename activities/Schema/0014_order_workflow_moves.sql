-- How many numbered status moves the payment's workflow has applied: a workflow task run again after a crash repeats its
-- local steps in order, and a move the order has already passed is then success rather than an illegal transition.
ALTER TABLE orders.payments ADD COLUMN workflow_moves integer NOT NULL DEFAULT 0;
