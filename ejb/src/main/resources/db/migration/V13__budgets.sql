-- Budgets and rate limits: how many tokens and requests an account, a group (a pool its members
-- share) or an API key may use per day, per calendar month or per minute. PostgreSQL is the arbiter:
-- a call reserves in every budget that applies, in one statement, before the model is asked; the
-- reservation is settled to what was used with the reply and its ledger row.
create sequence budget_seq start with 50 increment by 50;

create table budget (
    id             bigint      primary key,
    -- whose: exactly one of an account, a group or an API key
    account_id     bigint      references account (id) on delete cascade,
    group_id       bigint      references account_group (id) on delete cascade,
    api_key_id     bigint      references api_key (id) on delete cascade,
    period         varchar(8)  not null check (period in ('MINUTE', 'DAY', 'MONTH')),
    token_limit    bigint      check (token_limit >= 0),
    request_limit  bigint      check (request_limit >= 0),
    created_at     timestamp with time zone not null,
    version        bigint      not null,
    constraint budget_one_subject check (num_nonnulls(account_id, group_id, api_key_id) = 1),
    constraint budget_some_limit check (token_limit is not null or request_limit is not null)
);
-- one budget per subject and period
create unique index budget_subject on budget
    (coalesce(account_id, 0), coalesce(group_id, 0), coalesce(api_key_id, 0), period);
create index budget_account on budget (account_id) where account_id is not null;
create index budget_group on budget (group_id) where group_id is not null;
create index budget_key on budget (api_key_id) where api_key_id is not null;

-- what a budget's period has used and holds reserved for calls under way
create table budget_use (
    budget_id        bigint  not null references budget (id) on delete cascade,
    -- the period's first instant in the budgets' time zone (a minute, a day, a month)
    period_start     timestamp with time zone not null,
    reserved_tokens  bigint  not null,
    used_tokens      bigint  not null,
    requests         bigint  not null,
    primary key (budget_id, period_start)
);

-- (ids taken by the reserving statement itself, one at a time)
create sequence reservation_seq;

-- a call's reservation, until it is settled (then deleted)
create table reservation (
    id           bigint   primary key,
    account_id   bigint   not null references account (id) on delete cascade,
    -- the chat reply it is for (no constraint: reserved before the reply's transaction commits)
    message_id   bigint,
    tokens       bigint   not null,
    -- HELD: the tokens are reserved; RELEASED: given back after expires_at, still to be settled
    state        varchar(8) not null check (state in ('HELD', 'RELEASED')),
    created_at   timestamp with time zone not null,
    expires_at   timestamp with time zone not null
);
create index reservation_account on reservation (account_id);
create index reservation_expiry on reservation (expires_at) where state = 'HELD';
create index reservation_message on reservation (message_id) where message_id is not null;

-- the budgets (and their periods) a reservation holds tokens in
create table reservation_hold (
    reservation_id  bigint not null references reservation (id) on delete cascade,
    budget_id       bigint not null references budget (id) on delete cascade,
    period_start    timestamp with time zone not null,
    primary key (reservation_id, budget_id)
);
create index reservation_hold_budget on reservation_hold (budget_id);
