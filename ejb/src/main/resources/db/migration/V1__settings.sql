-- Installation-wide settings as name/value pairs: the instance identity now, admin settings later.
-- EclipseLink reads nextval as the end of a block of allocationSize ids, so the first value is 50
create sequence setting_seq start with 50 increment by 50;

create table setting (
    id         bigint       primary key,
    name       varchar(100) not null,
    value      text         not null,
    updated_at timestamp with time zone not null,
    constraint setting_name_unique unique (name)
);
