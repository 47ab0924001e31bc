-- History search: every message's words as a tsvector kept by PostgreSQL itself, and a GIN index.
--
-- Chinese, Japanese and Thai put no spaces between words, so words cannot be told apart without a
-- dictionary; such text is indexed as overlapping pairs of characters (and the last character of
-- each run) and a query's pairs must all be there. Other scripts are indexed word by word. Not
-- pg_trgm: it takes its word characters from the database's LC_CTYPE, and under the C locale our
-- own cluster uses (initdb --no-locale) show_trgm('数据模型') is empty: Chinese is invisible to it.
-- These functions depend on no locale and no extension; the caller checks the exact words against
-- the text, so the index only has to find every message that may match.

-- The characters of scripts written without spaces: Thai, Lao, Myanmar, Khmer, kana, Han, Hangul.
-- Words: ASCII letters and digits, Latin with its extensions, Greek, Cyrillic, Armenian, Hebrew,
-- Arabic, the Indic scripts.
create function search_runs(body text) returns table (run text, paired boolean)
language sql immutable strict parallel safe
as $$
  select r[1], r[1] ~ '^[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f]'
  from regexp_matches(lower(normalize(body, NFKC)),
    '[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f]+'
    '|[0-9a-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02af\u0370-\u03ff\u0400-\u052f\u0531-\u0587\u05d0-\u05ea\u0620-\u064a\u0660-\u0669\u0900-\u0dff\u1e00-\u1fff]+',
    'g') r
$$;

-- What a message is found by: its words (at most 100 characters each), and for text without
-- spaces every pair of neighbouring characters and each run's last character.
create function search_terms(body text) returns tsvector
language sql immutable strict parallel safe
as $$
  with runs as materialized (select run, paired from search_runs(body))
  select array_to_tsvector(coalesce(array_agg(term), '{}'))
  from (
    select left(run, 100) as term from runs where not paired
    union all
    select p[1] from runs, regexp_matches(run, '..', 'g') p where paired
    union all
    select p[1] from runs, regexp_matches(substr(run, 2), '..', 'g') p where paired
    union all
    select right(run, 1) from runs where paired
  ) terms
$$;

-- What a query asks for: every word as a prefix ('mod' finds 'model'), every pair of its
-- characters without spaces, a single such character as a prefix. Null when it has no word.
create function search_query(query text) returns tsquery
language sql immutable strict parallel safe
as $$
  with runs as materialized (select run, paired from search_runs(query))
  select cast(string_agg(term, ' & ') as tsquery)
  from (
    select '''' || left(run, 100) || ''':*' as term from runs where not paired
    union all
    select '''' || run || ''':*' from runs where paired and length(run) = 1
    union all
    select '''' || substr(run, i, 2) || '''' from runs, generate_series(1, length(run) - 1) i
    where paired
  ) terms
$$;

-- The owner's own term ('@' is in no word): a search intersects the caller's entry with the words'
-- in the index, instead of fetching every message of the installation that has the words. The owner
-- is the conversation's, copied onto its messages (it never changes).
create function search_owner(owner bigint) returns tsvector
language sql immutable strict parallel safe
as $$ select array_to_tsvector(array['@' || owner]) $$;

create function search_owner_query(owner bigint) returns tsquery
language sql immutable strict parallel safe
as $$ select cast('''@' || owner || '''' as tsquery) $$;

alter table message add column owner_id bigint;
update message m set owner_id = c.owner_id from conversation c where c.id = m.conversation_id;
alter table message alter column owner_id set not null;

alter table message add column search tsvector
  generated always as (search_terms(content) || search_owner(owner_id)) stored;
create index message_search on message using gin (search);
-- the caller's messages newest first: a word most of them have is found by walking these
create index message_owner_recent on message (owner_id, id desc);
