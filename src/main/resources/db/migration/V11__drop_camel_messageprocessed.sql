-- The business keys of stored orders were kept twice: in Camel's JDBC idempotent repository (this table) and in
-- orders.business_key under a unique constraint (V1). The unique constraint alone decides now (OrderStore.storeOnce):
-- one lookup and one insert per order instead of a savepoint, a lookup and two inserts, and one index fewer to write.
drop table if exists CAMEL_MESSAGEPROCESSED;
