-- Several nodes share one store (ADR 0010): a delivery is worked on by the node that claimed it,
-- until claim_until (epoch ms); the accepting node claims its own deliveries at accept time, and
-- the others take over what a dead node held once its claim runs out.
ALTER TABLE deliveries ADD COLUMN claim_node TEXT;
ALTER TABLE deliveries ADD COLUMN claim_until BIGINT;
