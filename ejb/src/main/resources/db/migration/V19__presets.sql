-- Presets ("agents"): named assistants with a model, a system prompt, parameters, a greeting and
-- suggested first messages. An administrator's are shared (owner null) with everybody or with
-- chosen groups; a user's own are theirs alone. A conversation remembers the preset it began from.
create sequence preset_seq start with 50 increment by 50;

create table preset (
    id             bigint        primary key,
    -- null: an administrator's, shared; else one user's own
    owner_id       bigint        references account (id) on delete cascade,
    name           varchar(100)  not null,
    name_key       varchar(100)  not null,
    description    varchar(500),
    model          varchar(100)  not null,
    system_prompt  text,
    temperature    double precision,
    max_tokens     int,
    greeting       text,
    -- suggested first messages, one per line
    suggestions    text,
    -- a shared preset: offered to everybody, or only to the members of the groups in preset_group
    everyone       boolean       not null,
    created_at     timestamp with time zone not null,
    updated_at     timestamp with time zone not null,
    version        bigint        not null
);
create unique index preset_name_unique on preset (coalesce(owner_id, 0), name_key);
create index preset_owner on preset (owner_id);

create table preset_group (
    preset_id  bigint not null references preset (id) on delete cascade,
    group_id   bigint not null references account_group (id) on delete cascade,
    primary key (preset_id, group_id)
);
create index preset_group_group on preset_group (group_id);

alter table conversation add column preset_id bigint references preset (id) on delete set null;
create index conversation_preset on conversation (preset_id);
