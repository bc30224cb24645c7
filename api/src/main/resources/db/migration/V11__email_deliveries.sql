-- Notifications by email. A node with an SMTP server switches the channel on; from then on every notification
-- to a member gets an email delivery in the same transaction (the same reasoning as the webhooks' trigger: none
-- is lost, none made twice). A service without mail makes none, and switching mail on later sends nothing old.
CREATE TABLE notification_channel (
    name    VARCHAR(16) PRIMARY KEY,
    enabled BOOLEAN     NOT NULL
);

CREATE TABLE email_delivery (
    notification_position BIGINT      PRIMARY KEY REFERENCES notification (position),
    status                VARCHAR(16) NOT NULL,
    attempts              INT         NOT NULL DEFAULT 0,
    next_attempt_at       TIMESTAMPTZ NOT NULL,
    last_attempt_at       TIMESTAMPTZ,
    created_at            TIMESTAMPTZ NOT NULL
);

CREATE INDEX email_delivery_due ON email_delivery (next_attempt_at) WHERE status = 'PENDING';

CREATE FUNCTION notification_to_email() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.user_id IS NOT NULL
       AND EXISTS (SELECT 1 FROM notification_channel WHERE name = 'email' AND enabled) THEN
        INSERT INTO email_delivery (notification_position, status, next_attempt_at, created_at)
        VALUES (NEW.position, 'PENDING', NEW.created_at, NEW.created_at);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER notification_to_email AFTER INSERT ON notification
    FOR EACH ROW EXECUTE FUNCTION notification_to_email();
