-- What a model does: chat, or embedding (for applications' retrieval through /v1/embeddings).
alter table model add column kind varchar(16) not null default 'CHAT'
    check (kind in ('CHAT', 'EMBEDDING'));
