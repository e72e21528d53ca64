-- Lookups by order and by age that the retention job (io.orderhub.database.DataRetention) makes for every batch of
-- orders it deletes, and an order's timeline (stage deliveries) reads: without these each was a scan of the whole
-- table. In a soak at 100 orders/s the job deleted about 700 orders a minute while 6,000 arrived, and the H2 file
-- grew past 7 GB. (H2 already indexes a column that references another table; PostgreSQL does not, hence the
-- indexes on order_external_id and vendor_order_ref.)
create index orders_updated on orders (updated_at);
create index intake_order on intake (order_id);
create index stage_delivery_order on stage_delivery (order_id);
create index order_external_id_order on order_external_id (order_id);
create index vendor_order_ref_order on vendor_order_ref (order_id);
create index dead_letter_order on dead_letter (order_id, state);
