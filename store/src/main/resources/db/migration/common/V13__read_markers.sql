-- Issue 18 (ADR 0047): how far each phone has read each conversation (a phone partner or a
-- group), for unread counts and "New messages" that survive a reload. up_to is a message id.
CREATE TABLE read_markers (
  reader       TEXT NOT NULL,
  target_kind  TEXT NOT NULL,
  target       TEXT NOT NULL,
  up_to        BIGINT NOT NULL,
  PRIMARY KEY (reader, target_kind, target)
);

-- What was there before counts as read: an upgrade must not make a whole history unread.
INSERT INTO read_markers (reader, target_kind, target, up_to)
SELECT d.recipient, m.target_kind, CASE WHEN m.target_kind = 'group' THEN m.target ELSE m.sender END, MAX(m.id)
FROM deliveries d JOIN messages m ON m.id = d.message_id
WHERE m.sender IS NOT NULL AND m.sender <> d.recipient AND m.target_kind IN ('msisdn', 'group')
GROUP BY d.recipient, m.target_kind, CASE WHEN m.target_kind = 'group' THEN m.target ELSE m.sender END;
