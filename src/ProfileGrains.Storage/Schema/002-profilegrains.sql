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

-- Every customer ever created, registered in the same statement as its first journal entry: the directory that
-- back-fills and administrative scans enumerate (grain storage keys are hashed, so it cannot list customers itself).
CREATE TABLE IF NOT EXISTS profilegrains_customers
(
    service_id  varchar(150) NOT NULL,
    customer_id varchar(150) NOT NULL,
    created_at  timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT profilegrains_customers_pk PRIMARY KEY (service_id, customer_id)
);

-- The identity map: one row per identifier, under its keyed hash (IdentityKeyHasher), never the email or phone itself.
-- An identity shard grain loads its rows when it activates and writes each change (group commit) before acknowledging.
-- detail holds the history of owners and the merge guard of the few identifiers that have them.
CREATE TABLE IF NOT EXISTS profilegrains_identities
(
    service_id  varchar(150) NOT NULL,
    shard       integer      NOT NULL,
    key         bytea        NOT NULL,
    customer_id varchar(150) NOT NULL,
    linked_at   timestamptz  NOT NULL,
    detail      bytea        NULL,
    CONSTRAINT profilegrains_identities_pk PRIMARY KEY (service_id, shard, key)
);

-- Segment membership: one row per segment and customer that ever entered it, holding the customer's latest membership
-- and its version. A change the journal holds writes its rows in the same statement as its journal entry, so a
-- membership is exactly as durable as the change that caused it; changes outside the journal (time passing, merges,
-- rule changes) are written by the customer before any shard hears of them. Segment shards load their members from
-- here and re-read recently written rows, which heals a notice lost with a killed silo.
CREATE TABLE IF NOT EXISTS profilegrains_segment_members
(
    service_id  varchar(150) NOT NULL,
    segment_id  varchar(150) NOT NULL,
    shard       integer      NOT NULL,
    customer_id varchar(150) NOT NULL,
    version     bigint       NOT NULL,
    is_member   boolean      NOT NULL,
    written_at  timestamptz  NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT profilegrains_segment_members_pk PRIMARY KEY (service_id, segment_id, shard, customer_id)
);

CREATE INDEX IF NOT EXISTS profilegrains_segment_members_written
    ON profilegrains_segment_members (service_id, segment_id, shard, written_at);

-- Erased customers, by the keyed hash of their id only (no customer id, no identifier): a silo whose cache still routes
-- an erased person's identifier to their old id is refused, instead of bringing the record back.
CREATE TABLE IF NOT EXISTS profilegrains_erased_customers
(
    service_id varchar(150) NOT NULL,
    key        bytea        NOT NULL,
    erased_at  timestamptz  NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT profilegrains_erased_customers_pk PRIMARY KEY (service_id, key)
);

-- Erasure requests: while one runs, what it still has to remove (so a crash in the middle is finished by a retry or on
-- another silo); once done, the pending columns are emptied and the row is the audit record: who asked, when, how much
-- went. It names nobody.
CREATE TABLE IF NOT EXISTS profilegrains_erasures
(
    service_id          varchar(150)   NOT NULL,
    request_id          varchar(128)   NOT NULL,
    requester           varchar(150)   NOT NULL,
    requested_at        timestamptz    NOT NULL,
    completed_at        timestamptz    NULL,
    records             integer        NOT NULL DEFAULT 0,
    identifiers         integer        NOT NULL DEFAULT 0,
    pending_customer_id varchar(150)   NULL,
    pending_records     varchar(150)[] NULL,
    pending_keys        bytea[]        NULL,
    CONSTRAINT profilegrains_erasures_pk PRIMARY KEY (service_id, request_id)
);
