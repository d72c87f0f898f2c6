-- Full-text search for the staff console: one row per ticket, rowid = the
-- ticket's id, holding its subject, the customer's address, the customers'
-- and agents' messages, and the internal notes in a column of their own (so
-- a search that must not see notes can leave that column out; today only
-- staff search).
--
-- The text is folded in Rust (`shared::text::fold_for_search`: Arabic and
-- Persian ye and kaf, ZWNJ, harakat, Persian/Arabic digits) before it is
-- indexed and before a query is, so the index holds folded words only.
-- Contentless (`content=''`): the original text is already in `tickets` and
-- `messages`, a second folded copy would only double the database; snippets
-- are cut from the originals in Rust. `contentless_delete=1` lets a ticket's
-- row be replaced when a message is added or its address changes.
--
-- The index is written by the db functions in the same transaction as the
-- write that changes the text (api/src/db/search.rs); folding cannot run in
-- SQL, so existing tickets are indexed by `search::backfill` at start-up.
CREATE VIRTUAL TABLE ticket_search USING fts5(
    subject, email, messages, notes,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);
