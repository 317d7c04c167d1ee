-- When each order reached each status (the database's clock at commit time of the change), for latency figures and
-- audits; kept by a trigger so every writer of a status is covered without touching its statement.
CREATE TABLE orders.status_history (
    payment_id text NOT NULL REFERENCES orders.payments,
    status     text NOT NULL,
    at         timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE INDEX status_history_by_payment ON orders.status_history (payment_id, at);

CREATE FUNCTION orders.record_status_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO orders.status_history (payment_id, status) VALUES (NEW.payment_id, NEW.status);
    RETURN NULL;
END;
$$;

CREATE TRIGGER payments_status_created
    AFTER INSERT ON orders.payments
    FOR EACH ROW EXECUTE FUNCTION orders.record_status_change();

CREATE TRIGGER payments_status_changed
    AFTER UPDATE OF status ON orders.payments
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION orders.record_status_change();
