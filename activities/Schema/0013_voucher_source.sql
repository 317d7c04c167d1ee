-- A payment may own more than one voucher: its own (PAYMENT or REFUND, never both: bank_txn_id NULL) and one for each
-- late debit returned to the shopper (LATE_DEBIT_REFUND, keyed by the bank transaction it returns). Existing vouchers
-- are all a payment's own, so NULL is their value.
ALTER TABLE accounting.vouchers ADD COLUMN bank_txn_id text;
ALTER TABLE accounting.vouchers DROP CONSTRAINT vouchers_kind_check;
ALTER TABLE accounting.vouchers ADD CONSTRAINT vouchers_kind_check
    CHECK (kind IN ('PAYMENT', 'REFUND', 'LATE_DEBIT_REFUND'));
ALTER TABLE accounting.vouchers ADD CONSTRAINT vouchers_late_debit_has_bank_txn
    CHECK ((kind = 'LATE_DEBIT_REFUND') = (bank_txn_id IS NOT NULL));
-- The source key, the target of every posting's ON CONFLICT: NULLS NOT DISTINCT keeps one own voucher per payment.
ALTER TABLE accounting.vouchers DROP CONSTRAINT vouchers_payment_id_key;
ALTER TABLE accounting.vouchers ADD CONSTRAINT vouchers_source_key UNIQUE NULLS NOT DISTINCT (payment_id, bank_txn_id);
