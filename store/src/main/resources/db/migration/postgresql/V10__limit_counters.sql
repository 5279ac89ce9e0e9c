-- Fixed-window counters of the limits on what costs the operator money (login-code SMS) and on
-- code guesses (ADR 0017): one row per key, taken by one conditional upsert, so concurrent
-- requests on any node of a cluster never take more than the limit.
CREATE TABLE limit_counters (
  lkey          TEXT PRIMARY KEY,
  window_start  BIGINT NOT NULL,
  used          INTEGER NOT NULL,
  expires_at    BIGINT NOT NULL
);
CREATE INDEX limit_counters_by_expiry ON limit_counters(expires_at);
