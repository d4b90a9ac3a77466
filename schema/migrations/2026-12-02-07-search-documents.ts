import { sql, type Kysely } from 'kysely';

// Frozen once run. The catalogue search within its budget (issue 12: a 3-word query under
// 50 ms over 5,000 products). Before this, every query joined each product to its producer,
// six administrative units and its current certificate and built the text it searched row by
// row, and the typo correction split every product, producer and unit name into words on
// each query. Both are now kept on write:
//
// - `product_search_documents`: one row per product with the folded text a query word must
//   be in (product name and description, producer name, current certificate number: the
//   columns worker/db/catalogue.ts matched one by one, joined by spaces, which no query word
//   holds), the folded names of the places its producer is in (commune, district, province
//   and the units that succeeded them, padded with spaces so a phrase matches whole words),
//   and its GTIN as 14 digits. Trigram GIN indexes let `LIKE '%…%'` use the index.
// - `search_words`: the words and two-word runs of every product, producer and unit name
//   (the correction's candidates), each with how many names hold it, so a word leaves when
//   its last name is renamed or removed. `loose` is the spelling the correction compares
//   (ph → f, k → c, ngh → ng); a trigram GiST index finds the nearest words by `<->`.
//
// Triggers keep both right whoever writes (admin UI, CLI, seed, import) on Postgres and
// PGlite alike. They run as the writer: the runtime role has rows on every table (default
// privileges, schema/roles.ts), these included.

const statements = [
  sql`create table product_search_documents (
    product_id integer primary key references products(id) on delete cascade,
    document text not null,
    places text not null,
    gtin14 text
  )`,
  sql`create index product_search_documents_document_trgm on product_search_documents using gin (document gin_trgm_ops)`,
  sql`create index product_search_documents_places_trgm on product_search_documents using gin (places gin_trgm_ops)`,
  sql`create index product_search_documents_gtin_idx on product_search_documents(gtin14) where gtin14 is not null`,
  // The document of the given products, from the same joins the catalogue query made.
  sql`create function ocop_search_documents_refresh(ids integer[]) returns void language sql as $$
    insert into product_search_documents (product_id, document, places, gtin14)
    select p.id,
      concat_ws(' ', p.search_text, pr.search_name, lower(c.number)),
      ' ' || concat_ws(' ', u0.search_name, u1.search_name, u2.search_name, s0.search_name, s1.search_name, s2.search_name) || ' ',
      lpad(p.gtin, 14, '0')
    from products p
    join producers pr on pr.id = p.producer_id
    left join certificates c on c.id = (select max(c2.id) from certificates c2 where c2.product_id = p.id and c2.status <> 'superseded')
    left join admin_units u0 on u0.id = pr.address_unit_id
    left join admin_units u1 on u1.id = u0.parent_id
    left join admin_units u2 on u2.id = u1.parent_id
    left join admin_units s0 on s0.id = u0.successor_id
    left join admin_units s1 on s1.id = u1.successor_id
    left join admin_units s2 on s2.id = u2.successor_id
    where p.id = any(ids)
    on conflict (product_id) do update set document = excluded.document, places = excluded.places, gtin14 = excluded.gtin14
  $$`,
  // Inserts per statement (a seed or an import adds many products at once: one refresh, not
  // one per row); changes per row, as only some columns matter (a trigger with a column list
  // cannot see the statement's rows).
  sql`create function ocop_search_documents_on_products_insert() returns trigger language plpgsql as $$
    begin
      perform ocop_search_documents_refresh(array(select id from inserted));
      return null;
    end $$`,
  sql`create trigger products_search_document_insert after insert on products referencing new table as inserted
    for each statement execute function ocop_search_documents_on_products_insert()`,
  sql`create function ocop_search_documents_on_product() returns trigger language plpgsql as $$
    begin
      perform ocop_search_documents_refresh(array[new.id]);
      return null;
    end $$`,
  sql`create trigger products_search_document after update of name, description, gtin, producer_id on products
    for each row execute function ocop_search_documents_on_product()`,
  sql`create function ocop_search_documents_on_producer() returns trigger language plpgsql as $$
    begin
      perform ocop_search_documents_refresh(array(select id from products where producer_id = new.id));
      return null;
    end $$`,
  sql`create trigger producers_search_document after update of name, address_unit_id on producers
    for each row execute function ocop_search_documents_on_producer()`,
  // A new, renumbered, superseded, revoked or removed certificate can change which number is current.
  sql`create function ocop_search_documents_on_certificates_insert() returns trigger language plpgsql as $$
    begin
      perform ocop_search_documents_refresh(array(select distinct product_id from inserted));
      return null;
    end $$`,
  sql`create trigger certificates_search_document_insert after insert on certificates referencing new table as inserted
    for each statement execute function ocop_search_documents_on_certificates_insert()`,
  sql`create function ocop_search_documents_on_certificates_delete() returns trigger language plpgsql as $$
    begin
      perform ocop_search_documents_refresh(array(select distinct product_id from deleted));
      return null;
    end $$`,
  sql`create trigger certificates_search_document_delete after delete on certificates referencing old table as deleted
    for each statement execute function ocop_search_documents_on_certificates_delete()`,
  sql`create function ocop_search_documents_on_certificate() returns trigger language plpgsql as $$
    begin
      perform ocop_search_documents_refresh(array[old.product_id, new.product_id]);
      return null;
    end $$`,
  sql`create trigger certificates_search_document after update of number, status, product_id on certificates
    for each row execute function ocop_search_documents_on_certificate()`,
  // A renamed or re-parented unit, or a new successor: every product of a producer whose places include it.
  sql`create function ocop_search_documents_on_unit() returns trigger language plpgsql as $$
    begin
      perform ocop_search_documents_refresh(array(
        select p.id from products p
        join producers pr on pr.id = p.producer_id
        join admin_units u0 on u0.id = pr.address_unit_id
        left join admin_units u1 on u1.id = u0.parent_id
        left join admin_units u2 on u2.id = u1.parent_id
        where new.id in (u0.id, u1.id, u2.id, u0.successor_id, u1.successor_id, u2.successor_id)));
      return null;
    end $$`,
  sql`create trigger admin_units_search_document after update of name, parent_id, successor_id on admin_units
    for each row execute function ocop_search_documents_on_unit()`,

  sql`create table search_words (
    word text primary key,
    loose text generated always as (replace(replace(replace(word, 'ph', 'f'), 'k', 'c'), 'ngh', 'ng')) stored,
    uses integer not null
  )`,
  sql`create index search_words_loose_trgm on search_words using gist (loose gist_trgm_ops)`,
  // The words of one folded name and its two-word runs ("ca phe", so "cafe" meets it), as the
  // correction split them before.
  sql`create function ocop_name_words(n text) returns setof text language sql immutable as $$
    select distinct w from (
      select regexp_split_to_table(n, '[^a-z0-9]+') as w
      union all
      select a[i] || ' ' || a[i + 1] from (select regexp_split_to_array(n, '[^a-z0-9]+') as a) as s, generate_series(1, coalesce(array_length(a, 1), 0) - 1) as i
    ) as x where length(w) >= 2
  $$`,
  // Names come and go per statement (a seed adds hundreds); renames per row. Words are
  // upserted in order, so two writers sharing words lock them in the same order.
  sql`create function ocop_search_words_add() returns trigger language plpgsql as $$
    begin
      insert into search_words (word, uses)
        select w, count(*) from inserted, lateral ocop_name_words(inserted.search_name) as w group by w order by w
        on conflict (word) do update set uses = search_words.uses + excluded.uses;
      return null;
    end $$`,
  sql`create function ocop_search_words_remove() returns trigger language plpgsql as $$
    begin
      with gone as (select w, count(*) as n from deleted, lateral ocop_name_words(deleted.search_name) as w group by w)
      update search_words s set uses = s.uses - gone.n from gone where s.word = gone.w;
      delete from search_words where uses <= 0;
      return null;
    end $$`,
  sql`create function ocop_search_words_rename() returns trigger language plpgsql as $$
    begin
      update search_words set uses = uses - 1 where word in (select ocop_name_words(old.search_name));
      delete from search_words where uses <= 0 and word in (select ocop_name_words(old.search_name));
      insert into search_words (word, uses) select w, 1 from ocop_name_words(new.search_name) as w order by w
        on conflict (word) do update set uses = search_words.uses + 1;
      return null;
    end $$`,
  ...['products', 'producers', 'admin_units'].flatMap((table) => [
    sql`create trigger ${sql.raw(`${table}_search_words_add`)} after insert on ${sql.table(table)} referencing new table as inserted
      for each statement execute function ocop_search_words_add()`,
    sql`create trigger ${sql.raw(`${table}_search_words_remove`)} after delete on ${sql.table(table)} referencing old table as deleted
      for each statement execute function ocop_search_words_remove()`,
    sql`create trigger ${sql.raw(`${table}_search_words_rename`)} after update of name on ${sql.table(table)}
      for each row when (old.name is distinct from new.name) execute function ocop_search_words_rename()`,
  ]),

  // The rows already there.
  sql`select ocop_search_documents_refresh(array(select id from products))`,
  sql`insert into search_words (word, uses)
    select w, count(*) from (
      select search_name from products union all select search_name from producers union all select search_name from admin_units
    ) as n, lateral ocop_name_words(n.search_name) as w
    group by w`,
  sql`analyze product_search_documents`,
  sql`analyze search_words`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['products', 'producers', 'admin_units']) {
    for (const suffix of ['add', 'remove', 'rename']) await sql`drop trigger if exists ${sql.raw(`${table}_search_words_${suffix}`)} on ${sql.table(table)}`.execute(db);
  }
  await sql`drop trigger if exists admin_units_search_document on admin_units`.execute(db);
  for (const suffix of ['', '_insert', '_delete']) await sql`drop trigger if exists ${sql.raw(`certificates_search_document${suffix}`)} on certificates`.execute(db);
  await sql`drop trigger if exists producers_search_document on producers`.execute(db);
  for (const suffix of ['', '_insert']) await sql`drop trigger if exists ${sql.raw(`products_search_document${suffix}`)} on products`.execute(db);
  for (const fn of ['ocop_search_words_add', 'ocop_search_words_remove', 'ocop_search_words_rename']) await sql`drop function if exists ${sql.raw(fn)}()`.execute(db);
  await sql`drop function if exists ocop_name_words(text)`.execute(db);
  await sql`drop table if exists search_words`.execute(db);
  for (const fn of ['on_unit', 'on_certificate', 'on_certificates_insert', 'on_certificates_delete', 'on_producer', 'on_product', 'on_products_insert']) {
    await sql`drop function if exists ${sql.raw(`ocop_search_documents_${fn}`)}()`.execute(db);
  }
  await sql`drop function if exists ocop_search_documents_refresh(integer[])`.execute(db);
  await sql`drop table if exists product_search_documents`.execute(db);
}
