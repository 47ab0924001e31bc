-- Company directories (LDAP / Active Directory): where accounts can come from, and how their
-- groups map to ours.
create sequence directory_seq start with 50 increment by 50;

create table directory (
    id                  bigint        primary key,
    name                varchar(64)   not null,
    name_key            varchar(64)   not null,
    enabled             boolean       not null,
    -- the order in which a login asks the directories
    position            int           not null,
    -- ldap://host:port or ldaps://host:port
    url                 varchar(500)  not null,
    start_tls           boolean       not null,
    -- PEM certificates trusted for ldaps/StartTLS besides the JDK's
    ca_certificates     text,
    bind_dn             varchar(500),
    -- the bind password sealed with the master key (as providers' API keys)
    bind_password       varchar(2000),
    -- set by the operator's preset: the file it is read from at every start
    bind_password_file  varchar(500),
    user_base           varchar(500)  not null,
    -- {0}: the login name, escaped
    user_filter         varchar(1000) not null,
    username_attribute  varchar(64)   not null,
    display_name_attribute varchar(64) not null,
    email_attribute     varchar(64)   not null,
    -- a filter that, matching the user's entry, means the account is disabled in the directory
    disabled_filter     varchar(1000),
    -- MEMBER_OF: the user's attribute lists the group DNs; SEARCH: groups found by a filter
    group_mode          varchar(16)   not null check (group_mode in ('MEMBER_OF', 'SEARCH')),
    group_attribute     varchar(64)   not null,
    group_base          varchar(500),
    -- {0}: the user's DN, {1}: the username, both escaped
    group_filter        varchar(1000),
    group_name_attribute varchar(64)  not null,
    nested_groups       boolean       not null,
    -- the preset from LLMCHAT_LDAP_*: kept in step with the operator's settings at every start
    preset              boolean       not null default false,
    created_at          timestamp with time zone not null,
    version             bigint        not null,
    constraint directory_name_unique unique (name_key)
);

create sequence directory_group_map_seq start with 50 increment by 50;

-- A directory group (its DN or its name) gives our group and/or the administrator role.
create table directory_group_map (
    id              bigint       primary key,
    directory_id    bigint       not null references directory (id) on delete cascade,
    external_group  varchar(500) not null,
    group_id        bigint       references account_group (id) on delete cascade,
    administrator   boolean      not null,
    constraint directory_group_map_target check (group_id is not null or administrator)
);
create index directory_group_map_directory on directory_group_map (directory_id);
create index directory_group_map_group on directory_group_map (group_id);

-- Where an account comes from: null = a local account with a password here; 'ldap:<id>' = the
-- directory with that id (its password is the directory's); external_id = its DN there.
alter table account add column origin varchar(80);
alter table account add column external_id varchar(500);

-- Memberships the directory gave (its origin): replaced at every login; an administrator's own
-- memberships (origin null) stay.
alter table group_member add column origin varchar(80);
