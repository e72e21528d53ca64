-- The console's dead-letter list at 100,000 entries (docs/benchmarks.md). Each index leads with one filter, then
-- the list's order (last failure, newest first, then id), then the other filter columns: a page's ids and the
-- count come from one index alone, whatever filters are combined (in H2, 1.4 s -> a few ms for vendor + location;
-- in PostgreSQL an ordered index scan). The rows of the page are then read by id.
--
-- The error-class filter matches a prefix of an indexed column, the class's simple name in lower case
-- ("permanentfailure", "timeoutexception"); a "contains" match on error_class read every row (2.3 s at 100,000).
alter table dead_letter add column error_name varchar(200);
update dead_letter set error_name = lower(regexp_replace(error_class, '^.*[.$]', ''));
alter table dead_letter alter column error_name set not null;

drop index dead_letter_state_time;
drop index dead_letter_source_time;
drop index dead_letter_location_time;
drop index dead_letter_stage_time;
create index dead_letter_time on dead_letter
    (last_failure_at desc, id desc, state, source, location_id, stage, error_name);
create index dead_letter_state_time on dead_letter
    (state, last_failure_at desc, id desc, source, location_id, stage, error_name);
create index dead_letter_source_time on dead_letter
    (source, state, last_failure_at desc, id desc, location_id, stage, error_name);
create index dead_letter_location_time on dead_letter
    (location_id, state, last_failure_at desc, id desc, source, stage, error_name);
create index dead_letter_stage_time on dead_letter
    (stage, state, last_failure_at desc, id desc, source, location_id, error_name);
create index dead_letter_error_time on dead_letter
    (error_name, state, last_failure_at desc, id desc, source, location_id, stage);
