-- Personal API keys for applications (the OpenAI-compatible /v1 API). The secret is shown once and
-- kept only as its SHA-256; the prefix is what lists show of it.
create sequence api_key_seq start with 50 increment by 50;

create table api_key (
    id            bigint       primary key,
    account_id    bigint       not null references account (id) on delete cascade,
    name          varchar(100) not null,
    prefix        varchar(32)  not null,
    secret_hash   varchar(64)  not null,
    created_at    timestamp with time zone not null,
    expires_at    timestamp with time zone,
    last_used_at  timestamp with time zone,
    revoked_at    timestamp with time zone,
    -- who revoked it: the owner or an administrator
    revoked_by    varchar(64),
    version       bigint       not null,
    constraint api_key_secret_unique unique (secret_hash)
);
create index api_key_account on api_key (account_id, created_at desc);

-- the models a key is limited to (by alias); none: every model its owner may use
create table api_key_model (
    api_key_id  bigint        not null references api_key (id) on delete cascade,
    model       varchar(100)  not null,
    primary key (api_key_id, model)
);
