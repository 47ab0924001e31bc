-- OpenID Connect identity providers (Keycloak, Casdoor, Authing, Entra ID, Okta): people log in
-- there (authorization code flow with PKCE); their groups claim maps to our groups.
create sequence identity_provider_seq start with 50 increment by 50;

create table identity_provider (
    id                  bigint        primary key,
    name                varchar(64)   not null,
    name_key            varchar(64)   not null,
    enabled             boolean       not null,
    position            int           not null,
    -- the issuer; discovery reads <issuer>/.well-known/openid-configuration
    issuer              varchar(500)  not null,
    client_id           varchar(255)  not null,
    -- the client secret sealed with the master key, bound to the issuer and client id
    client_secret       varchar(2000),
    -- set by the operator's preset: the file it is read from at every start
    client_secret_file  varchar(500),
    scopes              varchar(500)  not null,
    username_claim      varchar(64)   not null,
    display_name_claim  varchar(64)   not null,
    email_claim         varchar(64)   not null,
    groups_claim        varchar(64)   not null,
    -- PEM certificates trusted for the provider's HTTPS besides the JDK's
    ca_certificates     text,
    preset              boolean       not null default false,
    created_at          timestamp with time zone not null,
    version             bigint        not null,
    constraint identity_provider_name_unique unique (name_key)
);

-- A mapping belongs to a directory or to an identity provider.
alter table directory_group_map alter column directory_id drop not null;
alter table directory_group_map
    add column provider_id bigint references identity_provider (id) on delete cascade;
alter table directory_group_map add constraint directory_group_map_source
    check ((directory_id is null) <> (provider_id is null));
create index directory_group_map_provider on directory_group_map (provider_id);
