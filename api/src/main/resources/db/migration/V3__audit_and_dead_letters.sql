-- The audit log: one entry per event, in event order (position is the event's global index).
CREATE TABLE audit_entry (
    position       BIGINT       PRIMARY KEY,
    occurred_at    TIMESTAMPTZ  NOT NULL,
    type           VARCHAR(64)  NOT NULL,
    actor_type     VARCHAR(16)  NOT NULL,
    actor_user_id  VARCHAR(64),
    actor_key_id   UUID,
    correlation_id VARCHAR(64),
    project_id     VARCHAR(64),
    user_id        VARCHAR(64),
    key_id         UUID,
    subject        VARCHAR(200) NOT NULL,
    details        JSONB        NOT NULL
);

CREATE INDEX audit_entry_project ON audit_entry (project_id, position);
CREATE INDEX audit_entry_key ON audit_entry (key_id, position);

-- Axon's dead-letter queue for streaming processors, with the columns of its JDBC schema in snake case.
CREATE TABLE dead_letter_entry (
    dead_letter_id       VARCHAR(255)  NOT NULL PRIMARY KEY,
    processing_group     VARCHAR(255)  NOT NULL,
    sequence_identifier  VARCHAR(255)  NOT NULL,
    sequence_index       BIGINT        NOT NULL,
    message_type         VARCHAR(255)  NOT NULL,
    event_identifier     VARCHAR(255)  NOT NULL,
    time_stamp           VARCHAR(255)  NOT NULL,
    payload_type         VARCHAR(255)  NOT NULL,
    payload_revision     VARCHAR(255),
    payload              BYTEA         NOT NULL,
    meta_data            BYTEA,
    aggregate_type       VARCHAR(255),
    aggregate_identifier VARCHAR(255),
    sequence_number      BIGINT,
    token_type           VARCHAR(255),
    token                BYTEA,
    enqueued_at          VARCHAR(255)  NOT NULL,
    last_touched         VARCHAR(255),
    processing_started   VARCHAR(255),
    cause_type           VARCHAR(255),
    cause_message        VARCHAR(1023),
    diagnostics          BYTEA,
    UNIQUE (processing_group, sequence_identifier, sequence_index)
);

CREATE INDEX dead_letter_entry_group ON dead_letter_entry (processing_group);
CREATE INDEX dead_letter_entry_sequence ON dead_letter_entry (processing_group, sequence_identifier);

-- Rebuilds of read models from the event store, visible on every node.
CREATE TABLE projection_rebuild (
    name          VARCHAR(64)  PRIMARY KEY,
    state         VARCHAR(16)  NOT NULL,
    position      BIGINT       NOT NULL,
    head_position BIGINT       NOT NULL,
    started_at    TIMESTAMPTZ  NOT NULL,
    updated_at    TIMESTAMPTZ  NOT NULL,
    finished_at   TIMESTAMPTZ,
    failure       VARCHAR(1023)
);
