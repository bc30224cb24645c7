-- A member's email address, where notifications go by email (when the service has an SMTP server).
ALTER TABLE project_member ADD COLUMN email VARCHAR(254);
