-- Indexes for filtered account lists (issue 3: the first page of any filtered list of 1M accounts in < 200 ms).
-- Text search is ILIKE over code, English and Chinese names: with a trigram index on each of the three, an OR
-- of the three becomes a BitmapOr instead of a scan. Equality on custom fields and needs is written as jsonb
-- containment (@>), which GIN jsonb_path_ops answers (smaller and faster than the default jsonb_ops).
create index accounts_code_trgm_idx on accounts using gin (code gin_trgm_ops);
create index accounts_custom_idx on accounts using gin (custom jsonb_path_ops);
create index accounts_needs_idx on accounts using gin (needs jsonb_path_ops);

-- Keyset orders of the list (sort column, id): updated and status are new sorts; name, code (unique) and created
-- have theirs already.
create index accounts_updated_idx on accounts (updated_at, id);
create index accounts_status_sort_idx on accounts (status, id);
drop index accounts_status_idx;
