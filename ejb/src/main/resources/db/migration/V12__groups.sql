-- Groups (departments) of accounts, and which groups may use which shared model.
create sequence account_group_seq start with 50 increment by 50;

create table account_group (
    id             bigint       primary key,
    name           varchar(64)  not null,
    -- lower-cased name: uniqueness and lookups ignore case
    name_key       varchar(64)  not null,
    description    varchar(500) not null default '',
    -- whether members may add model servers of their own (with their own keys)
    own_providers  boolean      not null,
    created_at     timestamp with time zone not null,
    version        bigint       not null,
    constraint account_group_name_unique unique (name_key)
);

create table group_member (
    group_id    bigint not null references account_group (id) on delete cascade,
    account_id  bigint not null references account (id) on delete cascade,
    primary key (group_id, account_id)
);
-- "the groups of an account", asked on every model lookup
create index group_member_account on group_member (account_id, group_id);

-- A shared model alias with rows here is open to these groups only; without, to everybody.
create table model_grant (
    alias     varchar(100) not null,
    group_id  bigint       not null references account_group (id) on delete cascade,
    primary key (alias, group_id)
);
create index model_grant_group on model_grant (group_id);

-- Until now every account could add its own providers: one group keeps it so, with everybody in
-- it, and new accounts join it (the setting default-group).
-- (ids from the sequences: EclipseLink takes the block that ends at the next value)
insert into account_group (id, name, name_key, description, own_providers, created_at, version)
values (nextval('account_group_seq'), 'users', 'users',
        'Everybody; new accounts join it (setting default-group)', true, now(), 1);
insert into group_member (group_id, account_id)
select g.id, a.id from account_group g, account a where g.name_key = 'users';
insert into setting (id, name, value, updated_at)
select nextval('setting_seq'), 'default-group', 'users', now()
where not exists (select 1 from setting where name = 'default-group');
