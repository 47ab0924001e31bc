-- Accounts, their refresh tokens, login throttling and the audit log.
-- Sequences start at their allocation size: EclipseLink reads nextval as the end of a block.

create sequence account_seq start with 50 increment by 50;

create table account (
    id                   bigint       primary key,
    username             varchar(64)  not null,
    -- lower-cased username: uniqueness and lookups ignore case
    username_key         varchar(64)  not null,
    display_name         varchar(100) not null,
    email                varchar(254),
    role                 varchar(16)  not null check (role in ('USER', 'ADMIN')),
    enabled              boolean      not null,
    locale               varchar(20),
    password_hash        varchar(300) not null,
    must_change_password boolean      not null,
    -- access tokens issued before this instant are no longer accepted
    tokens_valid_after   timestamp with time zone not null,
    created_at           timestamp with time zone not null,
    last_login_at        timestamp with time zone,
    version              bigint       not null,
    constraint account_username_unique unique (username_key)
);

create sequence refresh_token_seq start with 50 increment by 50;

create table refresh_token (
    id          bigint      primary key,
    account_id  bigint      not null references account (id) on delete cascade,
    -- every rotation of one login shares the family; reuse of a rotated token revokes it
    family      varchar(36) not null,
    token_hash  varchar(64) not null,
    issued_at   timestamp with time zone not null,
    expires_at  timestamp with time zone not null,
    rotated_at  timestamp with time zone,
    revoked_at  timestamp with time zone,
    constraint refresh_token_hash_unique unique (token_hash)
);
create index refresh_token_family on refresh_token (family);
create index refresh_token_account on refresh_token (account_id);

-- failed logins per subject ('account:<username>' or 'ip:<address>') within a window
create table login_throttle (
    subject          varchar(200) primary key,
    failures         int          not null,
    window_started   timestamp with time zone not null,
    locked_until     timestamp with time zone
);

create sequence audit_event_seq start with 50 increment by 50;

create table audit_event (
    id          bigint       primary key,
    occurred_at timestamp with time zone not null,
    actor       varchar(64),
    action      varchar(64)  not null,
    target      varchar(200),
    outcome     varchar(16)  not null,
    client_ip   varchar(64),
    detail      varchar(1000)
);
create index audit_event_occurred on audit_event (occurred_at desc);
