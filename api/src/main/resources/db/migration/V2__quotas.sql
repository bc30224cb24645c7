-- The quota/usage view. Rows appear as quotas are set and usage allocated; a missing row means the default
-- (project quota 0, member quota -1, usage 0).
CREATE TABLE quota_project (
    project_id VARCHAR(64) NOT NULL,
    service    VARCHAR(32) NOT NULL,
    resource   VARCHAR(64) NOT NULL,
    quota      BIGINT      NOT NULL DEFAULT 0,
    usage      BIGINT      NOT NULL DEFAULT 0,
    PRIMARY KEY (project_id, service, resource)
);

CREATE TABLE quota_member (
    project_id VARCHAR(64) NOT NULL,
    service    VARCHAR(32) NOT NULL,
    user_id    VARCHAR(64) NOT NULL,
    resource   VARCHAR(64) NOT NULL,
    quota      BIGINT      NOT NULL DEFAULT -1,
    usage      BIGINT      NOT NULL DEFAULT 0,
    PRIMARY KEY (project_id, service, user_id, resource)
);
