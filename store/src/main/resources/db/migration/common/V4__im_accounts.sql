-- Built-in IM service accounts and the phones logged in to IM accounts (issue 5).
-- No IM password is ever stored here: a login is held in memory only.
CREATE TABLE im_accounts (
  address        TEXT PRIMARY KEY,
  name           TEXT NOT NULL,
  password_hash  TEXT NOT NULL,
  web_user       TEXT,
  created_at     BIGINT NOT NULL
);

CREATE TABLE im_logins (
  msisdn     TEXT NOT NULL,
  account    TEXT NOT NULL,
  logged_at  BIGINT NOT NULL,
  PRIMARY KEY (msisdn, account)
);
