-- SMS to one phone go out in the order they were accepted: the delivery stage asks, per SMS,
-- whether an older delivery to the same phone is still pending. Only unfinished rows are indexed.
CREATE INDEX deliveries_undone_by_recipient ON deliveries(recipient, id) WHERE done = 0;
