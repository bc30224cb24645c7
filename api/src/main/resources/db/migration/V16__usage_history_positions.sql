-- The usage history is written by a streaming processor of its own, off the command's path. A rebuild applies the
-- events up to its swap itself, and the live processor may then handle some of them again: an event changes the
-- rows of its project's service only if its position is past the last one applied there, so it counts once.
CREATE TABLE usage_history_position (
    project_id VARCHAR(64) NOT NULL,
    service    VARCHAR(32) NOT NULL,
    position   BIGINT      NOT NULL,
    PRIMARY KEY (project_id, service)
);
