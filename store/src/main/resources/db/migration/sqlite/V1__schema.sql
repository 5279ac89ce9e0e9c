-- chatgate schema, SQLite. Instants are epoch milliseconds; flags are 0/1.
CREATE TABLE users (
  msisdn        TEXT PRIMARY KEY,
  display_name  TEXT NOT NULL DEFAULT '',
  language      TEXT NOT NULL,
  sms_stopped   INTEGER NOT NULL DEFAULT 0,
  wap_push      INTEGER NOT NULL DEFAULT 0,
  imsi          TEXT,
  created_at    INTEGER NOT NULL
);

CREATE TABLE chat_groups (
  id    TEXT PRIMARY KEY,
  name  TEXT NOT NULL
);

CREATE TABLE group_members (
  group_id  TEXT NOT NULL REFERENCES chat_groups(id) ON DELETE CASCADE,
  msisdn    TEXT NOT NULL,
  PRIMARY KEY (group_id, msisdn)
);
CREATE INDEX group_members_by_msisdn ON group_members(msisdn);

CREATE TABLE messages (
  id           INTEGER PRIMARY KEY,
  sender       TEXT,
  target_kind  TEXT NOT NULL,
  target       TEXT NOT NULL,
  body         TEXT NOT NULL,
  origin       TEXT NOT NULL,
  origin_ref   TEXT UNIQUE,
  secret       INTEGER NOT NULL,
  accepted_at  INTEGER NOT NULL
);
CREATE INDEX messages_by_target ON messages(target, sender, id);
CREATE INDEX messages_by_sender ON messages(sender, id);

CREATE TABLE deliveries (
  id               INTEGER PRIMARY KEY,
  message_id       INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  recipient        TEXT NOT NULL,
  state            TEXT NOT NULL,
  done             INTEGER NOT NULL,
  route            TEXT,
  attempts         INTEGER NOT NULL,
  next_attempt_at  INTEGER NOT NULL,
  keep_until       INTEGER,
  seen_at          INTEGER,
  reply_token      TEXT NOT NULL UNIQUE,
  smsc_ids         TEXT,
  last_error       TEXT,
  updated_at       INTEGER NOT NULL
);
CREATE INDEX deliveries_due ON deliveries(next_attempt_at, id) WHERE done = 0;
CREATE INDEX deliveries_by_message ON deliveries(message_id);
CREATE INDEX deliveries_by_recipient ON deliveries(recipient, message_id);
CREATE INDEX deliveries_unseen ON deliveries(recipient, id) WHERE seen_at IS NULL AND keep_until IS NOT NULL;

-- One row per SMS segment's SMSC message id, for delivery receipts.
CREATE TABLE smsc_ids (
  smsc_id      TEXT PRIMARY KEY,
  delivery_id  INTEGER NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE
);
CREATE INDEX smsc_ids_by_delivery ON smsc_ids(delivery_id);

CREATE TABLE web_sessions (
  id_hash       TEXT PRIMARY KEY,
  msisdn        TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  last_seen_at  INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL
);

CREATE TABLE login_codes (
  msisdn      TEXT PRIMARY KEY,
  code_hash   TEXT NOT NULL,
  expires_at  INTEGER NOT NULL,
  failures    INTEGER NOT NULL
);

CREATE TABLE failures (
  fkey  TEXT NOT NULL,
  at    INTEGER NOT NULL
);
CREATE INDEX failures_by_key ON failures(fkey, at);

CREATE TABLE secrets (
  name   TEXT PRIMARY KEY,
  value  TEXT NOT NULL
);
