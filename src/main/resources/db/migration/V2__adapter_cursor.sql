-- Where each adapter's polling fallback got to with its vendor (an ETag, an updated-since time, an event cursor).
create table adapter_cursor (
    adapter       varchar(64)   primary key,
    cursor_value  varchar(2000),
    updated_at    timestamp with time zone not null
);
