-- Kannel sendsms parity (issue 16): what a callback and the submit_sm need that the message does
-- not hold: the number as the client wrote it (%p), the sendsms user (%n), the client's submit_sm
-- options, and the delivery the SMS goes as (looked up when it is submitted).
ALTER TABLE dlr_callbacks ADD COLUMN delivery_id BIGINT;
ALTER TABLE dlr_callbacks ADD COLUMN client_to TEXT;
ALTER TABLE dlr_callbacks ADD COLUMN service TEXT;
ALTER TABLE dlr_callbacks ADD COLUMN mt TEXT;
CREATE INDEX dlr_callbacks_delivery ON dlr_callbacks (delivery_id);
