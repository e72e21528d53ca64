-- Kitchen tickets: one per order and station, made by the kds stage from the order's lines. A ticket is HELD until
-- its fire time (a scheduled order fires at its lead time), OPEN on the station's screen, DONE when bumped, VOIDED
-- when the order is cancelled. items is the ticket's lines as JSON (name, quantity, modifiers, notes, allergies,
-- prep time, when to start it, bumped).
create table kitchen_ticket (
    id            uuid          primary key,
    order_id      uuid          not null references orders (id),
    location_id   varchar(64)   not null,
    station       varchar(64)   not null,
    display_id    varchar(64),
    order_type    varchar(16)   not null,
    channel       varchar(64)   not null,
    priority      varchar(16)   not null,
    state         varchar(16)   not null,
    fire_at       timestamp with time zone not null,
    due_at        timestamp with time zone not null,
    created_at    timestamp with time zone not null,
    started_at    timestamp with time zone,
    bumped_at     timestamp with time zone,
    bumped_by     varchar(128),
    notes         varchar(2000),
    allergies     varchar(1000),
    items         text          not null,
    version       int           default 0 not null,
    unique (order_id, station)
);
create index kitchen_ticket_board on kitchen_ticket (location_id, state, due_at);
create index kitchen_ticket_fire on kitchen_ticket (state, fire_at);
