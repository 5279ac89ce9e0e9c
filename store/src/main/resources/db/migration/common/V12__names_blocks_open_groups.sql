-- Issue 18 (ADR 0040): the names a phone gives its contacts, the senders it blocks, and the
-- groups anyone may join by themselves. Flags are 0/1 as in V1.
ALTER TABLE chat_groups ADD COLUMN joinable INTEGER NOT NULL DEFAULT 0;

CREATE TABLE contact_names (
  owner    TEXT NOT NULL,
  contact  TEXT NOT NULL,
  name     TEXT NOT NULL,
  PRIMARY KEY (owner, contact)
);

CREATE TABLE blocks (
  owner    TEXT NOT NULL,
  blocked  TEXT NOT NULL,
  PRIMARY KEY (owner, blocked)
);
CREATE INDEX blocks_by_blocked ON blocks (blocked);
