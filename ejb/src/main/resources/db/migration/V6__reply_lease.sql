-- A streaming reply is held by the server that streams it, for a while at a time, renewed while it
-- streams. A reply whose holder stopped renewing (its server died) is ended by whichever server
-- sweeps next, so that its conversation takes messages again without a restart.
alter table message add column lease_until timestamp with time zone;
create index message_streaming_lease on message (lease_until) where status = 'STREAMING';
