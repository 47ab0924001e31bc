-- Calls of the OpenAI-compatible /v1 API are accounted to the API key that made them as well as to
-- its owner; the row stays when the key or its owner goes (it is the accounting).
alter table usage_record add column api_key_id bigint references api_key (id) on delete set null;
create index usage_record_api_key on usage_record (api_key_id) where api_key_id is not null;
