-- Axon's JDBC event store and tracking tokens. Axon creates no tables here: Flyway owns them all.
-- bytea, never oid; bigserial, so the global index grows by 1.
CREATE TABLE domain_event_entry (
    global_index         BIGSERIAL    PRIMARY KEY,
    event_identifier     VARCHAR(255) NOT NULL UNIQUE,
    aggregate_identifier VARCHAR(255) NOT NULL,
    sequence_number      BIGINT       NOT NULL,
    type                 VARCHAR(255),
    time_stamp           VARCHAR(255) NOT NULL,
    payload_type         VARCHAR(255) NOT NULL,
    payload_revision     VARCHAR(255),
    payload              BYTEA        NOT NULL,
    meta_data            BYTEA,
    UNIQUE (aggregate_identifier, sequence_number)
);

CREATE TABLE snapshot_event_entry (
    aggregate_identifier VARCHAR(255) NOT NULL,
    sequence_number      BIGINT       NOT NULL,
    type                 VARCHAR(255) NOT NULL,
    event_identifier     VARCHAR(255) NOT NULL UNIQUE,
    time_stamp           VARCHAR(255) NOT NULL,
    payload_type         VARCHAR(255) NOT NULL,
    payload_revision     VARCHAR(255),
    payload              BYTEA        NOT NULL,
    meta_data            BYTEA,
    PRIMARY KEY (aggregate_identifier, sequence_number)
);

CREATE TABLE token_entry (
    processor_name VARCHAR(255) NOT NULL,
    segment        INTEGER      NOT NULL,
    token          BYTEA,
    token_type     VARCHAR(255),
    timestamp      VARCHAR(255),
    owner          VARCHAR(255),
    PRIMARY KEY (processor_name, segment)
);

-- Read models.
CREATE TABLE project (
    project_id VARCHAR(64)  PRIMARY KEY,
    name       VARCHAR(100) NOT NULL,
    created_at TIMESTAMPTZ  NOT NULL
);

CREATE TABLE project_member (
    project_id VARCHAR(64) NOT NULL,
    user_id    VARCHAR(64) NOT NULL,
    role       VARCHAR(16) NOT NULL,
    joined_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (project_id, user_id)
);

-- Every key of every kind: the key list, the key id -> membership lookup and, by hash, authentication.
-- Deleted keys stay (without being listed) so that verification can tell REVOKED from NOT_FOUND.
CREATE TABLE api_key (
    key_id          UUID         PRIMARY KEY,
    key_hash        CHAR(64)     NOT NULL UNIQUE,
    type            VARCHAR(16)  NOT NULL,
    name            VARCHAR(100),
    masked_key      VARCHAR(16)  NOT NULL,
    project_id      VARCHAR(64),
    user_id         VARCHAR(64),
    role            VARCHAR(16),
    service         VARCHAR(32),
    created_at      TIMESTAMPTZ  NOT NULL,
    expires_at      TIMESTAMPTZ,
    deleted         BOOLEAN      NOT NULL DEFAULT FALSE,
    deletion_reason VARCHAR(32)
);

CREATE INDEX api_key_member_list ON api_key (project_id, created_at, key_id) WHERE NOT deleted;
