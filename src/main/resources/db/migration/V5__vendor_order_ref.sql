-- What a POS (or any vendor the hub sends orders to) calls an order the hub put there: its id, the version it last
-- reported (Square's optimistic concurrency), and what else the adapter needs to move it later (fulfilment uid).
-- The vendor's id is also an external id of the order (order_external_id), so the vendor's webhooks find it.
create table vendor_order_ref (
    adapter          varchar(64)   not null,
    order_id         uuid          not null references orders (id),
    vendor_order_id  varchar(255)  not null,
    version          varchar(64),
    data             varchar(4000),
    updated_at       timestamp with time zone not null,
    primary key (adapter, order_id)
);
create unique index vendor_order_ref_vendor_id on vendor_order_ref (adapter, vendor_order_id);
