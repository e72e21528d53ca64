-- No query reads intake by business key (the dedupe is on orders.business_key, V1), yet every payload the hub
-- received wrote an entry to this index at a random place in its tree: one more page for the embedded database to
-- write out per order, and space in both databases.
drop index if exists intake_business_key;
