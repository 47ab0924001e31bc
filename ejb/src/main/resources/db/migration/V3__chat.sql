-- Providers and their models, conversations and their messages, and the usage ledger.
-- Sequences start at their allocation size: EclipseLink reads nextval as the end of a block.

create sequence provider_seq start with 50 increment by 50;

create table provider (
    id                     bigint        primary key,
    name                   varchar(100)  not null,
    -- OpenAI-compatible base URL, e.g. http://vllm:8000/v1
    base_url               varchar(500)  not null,
    -- AES-256-GCM, 'v1:<master key id>:<base64>', bound to base_url; null: no key needed
    api_key_sealed         varchar(2000),
    api_key_hint           varchar(8),
    -- null: an administrator's provider, offered to everybody; else one user's own
    owner_id               bigint        references account (id) on delete cascade,
    connect_timeout_ms     int           not null,
    read_timeout_ms        int           not null,
    include_usage          boolean       not null,
    allow_private_network  boolean       not null,
    enabled                boolean       not null,
    -- the provider configured by LLMCHAT_LLM_URL, kept in step with it at every start
    preset                 boolean       not null,
    created_at             timestamp with time zone not null,
    updated_at             timestamp with time zone not null,
    version                bigint        not null
);
create unique index provider_name_unique on provider (coalesce(owner_id, 0), lower(name));

create sequence model_seq start with 50 increment by 50;

create table model (
    id               bigint        primary key,
    provider_id      bigint        not null references provider (id) on delete cascade,
    -- the model id the provider knows
    upstream_id      varchar(200)  not null,
    -- the name users pick; providers serving the same alias back each other up
    alias            varchar(100)  not null,
    display_name     varchar(100)  not null,
    enabled          boolean       not null,
    temperature      double precision,
    max_tokens       int,
    context_limit    int,
    -- lower first when several providers serve one alias
    priority         int           not null,
    created_at       timestamp with time zone not null,
    version          bigint        not null,
    constraint model_alias_unique unique (provider_id, alias)
);
create index model_alias on model (alias);

create sequence conversation_seq start with 50 increment by 50;

create table conversation (
    id             bigint        primary key,
    owner_id       bigint        not null references account (id) on delete cascade,
    title          varchar(200)  not null,
    model          varchar(100)  not null,
    system_prompt  text,
    temperature    double precision,
    max_tokens     int,
    -- position of the next message: messages are ordered by it, not by id or clock
    next_position  int           not null,
    created_at     timestamp with time zone not null,
    updated_at     timestamp with time zone not null,
    version        bigint        not null
);
create index conversation_owner_recent on conversation (owner_id, updated_at desc, id desc);

create sequence message_seq start with 50 increment by 50;

create table message (
    id                 bigint        primary key,
    conversation_id    bigint        not null references conversation (id) on delete cascade,
    position           int           not null,
    -- the user message a reply answers, or the message an edit replaces
    parent_id          bigint        references message (id) on delete set null,
    role               varchar(16)   not null check (role in ('USER', 'ASSISTANT')),
    content            text          not null,
    reasoning          text,
    status             varchar(16)   not null
                       check (status in ('STREAMING', 'COMPLETE', 'INTERRUPTED', 'FAILED')),
    -- a regenerated or edited branch replaces what followed; the old branch is kept, hidden
    superseded         boolean       not null,
    finish_reason      varchar(64),
    error              varchar(1000),
    model              varchar(100),
    provider_name      varchar(100),
    prompt_tokens      int,
    completion_tokens  int,
    first_token_ms     int,
    duration_ms        int,
    -- the client's id for a send: a resend with the same id creates nothing
    client_message_id  varchar(100),
    created_at         timestamp with time zone not null,
    completed_at       timestamp with time zone,
    version            bigint        not null,
    constraint message_position_unique unique (conversation_id, position),
    constraint message_client_id_unique unique (conversation_id, client_message_id)
);

create sequence usage_record_seq start with 50 increment by 50;

-- one row per completion, written with the reply; kept when users or conversations go
create table usage_record (
    id                 bigint        primary key,
    account_id         bigint        references account (id) on delete set null,
    username           varchar(64)   not null,
    conversation_id    bigint        references conversation (id) on delete set null,
    message_id         bigint        references message (id) on delete set null,
    model              varchar(100)  not null,
    provider_name      varchar(100),
    upstream_model     varchar(200),
    prompt_tokens      int           not null,
    completion_tokens  int           not null,
    reasoning_tokens   int           not null,
    source             varchar(16)   not null check (source in ('UPSTREAM', 'ESTIMATED')),
    outcome            varchar(16)   not null,
    first_token_ms     int,
    duration_ms        int           not null,
    usage_day          date          not null,
    created_at         timestamp with time zone not null
);
create index usage_record_day on usage_record (usage_day, account_id);
