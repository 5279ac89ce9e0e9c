-- Kannel-compatible sendsms: where to report a message's states (dlr-url, dlr-mask).
CREATE TABLE dlr_callbacks (
  message_id  BIGINT PRIMARY KEY,
  url         TEXT NOT NULL,
  mask        INTEGER NOT NULL,
  sender      TEXT NOT NULL
);
