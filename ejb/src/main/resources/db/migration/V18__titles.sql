-- Where a conversation's title comes from: DEFAULT (none yet), MESSAGE (the first message's
-- beginning, until the model names the conversation after its first reply), MODEL, or USER (set by
-- the user, never replaced). Titles from before are kept as they are.
alter table conversation add column title_source varchar(16) not null default 'USER'
  check (title_source in ('DEFAULT', 'MESSAGE', 'MODEL', 'USER'));
update conversation set title_source = 'DEFAULT' where title = 'New conversation';
alter table conversation alter column title_source drop default;
