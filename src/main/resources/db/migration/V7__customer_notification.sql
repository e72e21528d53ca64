-- Every message to a customer, once per order, kind (confirmed, preparing, ready, out_for_delivery, cancelled,
-- refunded) and channel (webhook:<endpoint>, sms:<adapter>): the key is what makes "never told the same thing twice".
-- message_id is the Standard Webhooks webhook-id, the same on every retry of that message.
create table customer_notification (
    order_id     uuid          not null references orders (id),
    kind         varchar(32)   not null,
    channel      varchar(100)  not null,
    message_id   varchar(100)  not null,
    state        varchar(16)   not null,
    attempts     int           not null,
    text         varchar(1000),
    answer       varchar(1000),
    created_at   timestamp with time zone not null,
    sent_at      timestamp with time zone,
    primary key (order_id, kind, channel)
);
