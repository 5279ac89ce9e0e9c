-- Issue 18 (ADR 0048): the time zone a phone chose for the times it is shown ('' = the
-- gateway's [chat] time_zone): a zone id, e.g. '+08:00' or 'Asia/Shanghai'.
ALTER TABLE users ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';
