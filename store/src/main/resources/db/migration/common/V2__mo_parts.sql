-- Parts of concatenated MO SMS, stored before the SMSC is answered (issue 4).
CREATE TABLE mo_parts (
  part_key     TEXT NOT NULL,
  seq          INTEGER NOT NULL,
  total        INTEGER NOT NULL,
  msisdn       TEXT NOT NULL,
  recipient    TEXT NOT NULL,
  body         TEXT NOT NULL,
  imsi         TEXT,
  received_at  BIGINT NOT NULL,
  PRIMARY KEY (part_key, seq)
);
CREATE INDEX mo_parts_by_time ON mo_parts(received_at);

-- Keys handed on whole, so that a late repeat of one of their parts is not a new message.
CREATE TABLE mo_completed (
  part_key      TEXT PRIMARY KEY,
  completed_at  BIGINT NOT NULL
);
