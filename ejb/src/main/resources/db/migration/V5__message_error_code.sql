-- The code of the failure that ended a reply (upstream_timeout, upstream_auth, …), so that clients
-- show a translated message for a stored reply too; the text stays generic, the model server's own
-- words go to the server log and the provider's owner only.
alter table message add column error_code varchar(64);
