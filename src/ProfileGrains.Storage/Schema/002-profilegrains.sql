-- ProfileGrains' own tables, beside the Orleans ones. Idempotent: applied at every start-up.

-- The customer journal: every acknowledged change to a customer, appended in batches (group commit) before the caller
-- hears OK. A customer is its latest snapshot (Orleans grain storage) plus the entries after the snapshot's sequence;
-- entries a snapshot covers are deleted. Erasing a customer is deleting its rows here and its storage row.
CREATE TABLE IF NOT EXISTS profilegrains_journal
(
    service_id  varchar(150) NOT NULL,
    customer_id varchar(150) NOT NULL,
    seq         bigint       NOT NULL,
    payload     bytea        NOT NULL,
    recorded_at timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT profilegrains_journal_pk PRIMARY KEY (service_id, customer_id, seq)
);
