-- Notifications: what a person should know about, from the events (a key deleted by someone else) or from time
-- passing (a key about to expire). Each has one cause (the event it came from, or the key and the mark of an
-- expiry warning), unique, so that two nodes, a restart or a replay never make it twice: the insert is the claim.
CREATE TABLE notification (
    position        BIGSERIAL    PRIMARY KEY,
    notification_id UUID         NOT NULL UNIQUE,
    type            VARCHAR(32)  NOT NULL,
    created_at      TIMESTAMPTZ  NOT NULL,
    project_id      VARCHAR(64),
    user_id         VARCHAR(64),
    key_id          UUID,
    details         JSONB        NOT NULL,
    cause           VARCHAR(128) NOT NULL UNIQUE
);

CREATE INDEX notification_by_member ON notification (project_id, user_id, position);

-- How far each person has read their notifications in the console (the operator as 'operator', a member as
-- 'project/user'), for the unread count.
CREATE TABLE notification_seen (
    reader   VARCHAR(160) PRIMARY KEY,
    position BIGINT       NOT NULL
);
