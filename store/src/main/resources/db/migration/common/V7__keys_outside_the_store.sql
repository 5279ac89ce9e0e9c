-- The CSRF key and the login-code pepper now derive from the key file (ADR 0013): the copies kept
-- here would let anyone holding the database check guesses of a code offline.
DELETE FROM secrets WHERE name IN ('csrf', 'code-pepper');
-- Login codes written before are readable in plain text: they are given up, never sent
-- (a code lives 5 minutes; the phone asks for another).
UPDATE deliveries SET state = 'FAILED', done = 1, last_error = 'login code from before the key file'
  WHERE done = 0 AND message_id IN (SELECT id FROM messages WHERE secret = 1);
UPDATE messages SET body = '' WHERE secret = 1;
