-- The provider that answered, by id as well as by name (names of users' own providers may repeat):
-- the administrators' statistics tell each provider's time to first token from it.
alter table usage_record add column provider_id bigint references provider (id) on delete set null;
create index usage_record_provider on usage_record (provider_id, usage_day)
    where provider_id is not null;
