-- Files attached to a user's message: text-like files (plain text, PDF, DOCX) whose text becomes
-- context of the message, and images sent to models that see images. Uploaded first (no message
-- yet), bound to the message that sends them; gone with their conversation or owner.
create sequence attachment_seq start with 50 increment by 50;

create table attachment (
    id               bigint        primary key,
    owner_id         bigint        not null references account (id) on delete cascade,
    conversation_id  bigint        not null references conversation (id) on delete cascade,
    -- null until a message sends it
    message_id       bigint        references message (id) on delete cascade,
    -- the name the user's file had: shown and offered back, never used to tell its type
    name             varchar(255)  not null,
    -- what its content is, as read from the bytes
    media_type       varchar(100)  not null,
    kind             varchar(8)    not null check (kind in ('TEXT', 'IMAGE')),
    size_bytes       int           not null,
    -- an image's pixels
    width            int,
    height           int,
    -- what it adds to a prompt: its text's tokens, or an image's estimate
    tokens           int           not null,
    -- a text-like file's text (a PDF's or DOCX's as extracted)
    text             text,
    content          bytea         not null,
    created_at       timestamp with time zone not null
);
create index attachment_conversation on attachment (conversation_id, id);
create index attachment_message on attachment (message_id);
create index attachment_owner on attachment (owner_id);

-- the tokens of a message's attached files, counted with its text for the context window
alter table message add column attachment_tokens int;

-- whether a model takes images (OpenAI image_url parts): Qwen-VL, GLM-4V, InternVL, GPT-4o ...
alter table model add column vision boolean not null default false;
