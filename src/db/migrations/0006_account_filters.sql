-- Indexes for filtered account lists (issue 3: the first page of any filtered list of 1M accounts in < 200 ms).

-- Text search (q) over code, English and Chinese names as one lower-cased column: one LIKE per row instead of three
-- ILIKEs, one trigram index instead of a BitmapOr of three. The (name_en, id) order index carries it (and what the
-- scope and the archive filter read) so that a common word, whose matches may sit far down the name order, is
-- found by an index-only walk instead of one heap fetch per skipped account.
alter table accounts
  add column search_text text generated always as (lower(code || ' ' || name_en || ' ' || coalesce(name_zh, ''))) stored;
create index accounts_search_trgm_idx on accounts using gin (search_text gin_trgm_ops);
drop index accounts_name_en_idx;
create index accounts_name_en_idx on accounts (name_en, id) include (search_text, archived_at, owner_id);

-- Equality on custom fields and needs is written as jsonb containment (@>), which GIN jsonb_path_ops answers
-- (smaller and faster than the default jsonb_ops).
create index accounts_custom_idx on accounts using gin (custom jsonb_path_ops);
create index accounts_needs_idx on accounts using gin (needs jsonb_path_ops);

-- Keyset orders of the list (sort column, id): updated and status are new sorts; code (unique) and created have
-- theirs already.
create index accounts_updated_idx on accounts (updated_at, id);
create index accounts_status_sort_idx on accounts (status, id);
drop index accounts_status_idx;
