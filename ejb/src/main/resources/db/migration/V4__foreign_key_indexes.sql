-- Every foreign key gets an index on its referencing columns: deleting an account, a conversation
-- or a message would otherwise scan the referencing table once per deleted row (on delete cascade /
-- set null). SchemaIT reads pg_catalog and fails for any foreign key left without one.
create index provider_owner on provider (owner_id);
create index model_provider on model (provider_id);
create index message_parent on message (parent_id);
create index usage_record_account on usage_record (account_id);
create index usage_record_conversation on usage_record (conversation_id);
create index usage_record_message on usage_record (message_id);
