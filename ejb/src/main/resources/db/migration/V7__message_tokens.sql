-- The estimated tokens of a message's content, counted once when it is written, so that a send
-- reads only as much history as the model's window takes and tokenizes none of it again. Null for
-- messages written before: estimated when read.
alter table message add column content_tokens integer;
