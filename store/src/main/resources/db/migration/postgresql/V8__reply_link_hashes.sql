-- Reply links (ADR 0014): the store keeps only the SHA-256 of each token (the token is derived
-- again from the delivery's id under the key file's key), so a copy of the database opens no
-- conversation. Links sent before keep working: their stored token is replaced by its hash.
ALTER TABLE deliveries RENAME COLUMN reply_token TO reply_hash;
UPDATE deliveries SET reply_hash = encode(sha256(convert_to(reply_hash, 'UTF8')), 'hex');
-- The one browser that first opened the link: the hash of its reply-session secret.
ALTER TABLE deliveries ADD COLUMN reply_claim TEXT;
-- Sessions are capped per phone and ended by phone (admin user remove), and swept when expired.
CREATE INDEX web_sessions_by_msisdn ON web_sessions(msisdn, created_at);
CREATE INDEX web_sessions_by_expiry ON web_sessions(expires_at);
CREATE INDEX failures_by_at ON failures(at);
