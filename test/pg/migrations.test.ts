/**
 * Migrations: the plan as data (numbered, contiguous, each with SQL), a fresh database to the latest version,
 * every earlier version to the latest with its data kept, two starters at once, and a database ahead of the build.
 */
import t from 'tap';
import { LATEST_VERSION, migrate, migrations, pendingMigrations, SchemaTooNewError } from '../../src/pg/migrations.js';
import { qualified } from '../../src/pg/sql.js';
import { freshSchema, needDatabase, testPool } from './helpers.js';

t.test('the plan is data: numbered from 1 without gaps, each with a description and SQL naming its schema', async (t) => {
  const all = migrations('s1');
  t.ok(all.length >= 2, 'at least two versions, so "from an earlier version" is real');
  t.same(all.map((m) => m.version), Array.from({ length: all.length }, (_, i) => i + 1));
  t.equal(LATEST_VERSION, all.length);
  for (const m of all) {
    t.ok(m.description.length > 10 && m.sql.length > 0, `version ${m.version} says what it installs`);
    t.ok(m.sql.every((s) => s.includes('"s1".')), `version ${m.version} names its schema in every statement`);
  }
  t.same(pendingMigrations('s1', 0).map((m) => m.version), all.map((m) => m.version));
  t.same(pendingMigrations('s1', 1).map((m) => m.version), all.slice(1).map((m) => m.version));
  t.same(pendingMigrations('s1', LATEST_VERSION), []);
  t.same(pendingMigrations('s1', 0, 1).map((m) => m.version), [1]);
});

t.test('a fresh database migrates to the latest version; a second run does nothing', async (t) => {
  if (!(await needDatabase(t))) return;
  const pool = testPool(t);
  const schema = freshSchema(t);
  t.same(await migrate(pool, schema), { from: 0, to: LATEST_VERSION });
  t.same(await migrate(pool, schema), { from: LATEST_VERSION, to: LATEST_VERSION });
  const tables = (await pool.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`, [schema])).rows.map((r) => r.table_name);
  t.same(tables, ['jobs', 'model_aliases', 'model_versions', 'models', 'orders', 'schema_migrations']);
  const history = (await pool.query(`SELECT version FROM ${qualified(schema, 'schema_migrations')} ORDER BY version`)).rows.map((r) => r.version);
  t.same(history, migrations(schema).map((m) => m.version), 'each applied version is recorded');
});

t.test('from every earlier version to the latest, keeping the data', async (t) => {
  if (!(await needDatabase(t))) return;
  const pool = testPool(t);
  for (let from = 1; from < LATEST_VERSION; from++) {
    const schema = freshSchema(t);
    t.same(await migrate(pool, schema, from), { from: 0, to: from });
    // Rows as a build of that version wrote them: a running job (no heartbeat column before version 2).
    await pool.query(
      `INSERT INTO ${qualified(schema, 'jobs')} (id, kind, status, created_at, request, progress) VALUES ('j1', 'training', 'running', now(), '{}', '{"done":1,"total":2,"percent":50}')`,
    );
    await pool.query(`INSERT INTO ${qualified(schema, 'models')} (name, next_version) VALUES ('m', 1)`);
    t.same(await migrate(pool, schema), { from, to: LATEST_VERSION }, `version ${from} -> ${LATEST_VERSION}`);
    const job = (await pool.query(`SELECT * FROM ${qualified(schema, 'jobs')} WHERE id = 'j1'`)).rows[0];
    t.match(job, { status: 'running', progress: { done: 1, total: 2 }, cancel_requested: false }, 'the job is kept and gains the new columns');
    if (from < 2) {
      t.equal(job.attempt, 1);
      t.ok(job.heartbeat_at instanceof Date, 'a job running before heartbeats existed gets a heartbeat clock, so the sweeper can settle it');
    }
    t.equal((await pool.query(`SELECT count(*)::int AS n FROM ${qualified(schema, 'models')}`)).rows[0].n, 1);
  }
});

t.test('two replicas starting at once: one migrates, the other waits and finds nothing to do', async (t) => {
  if (!(await needDatabase(t))) return;
  const a = testPool(t);
  const b = testPool(t);
  for (let round = 0; round < 3; round++) {
    const schema = freshSchema(t);
    const results = await Promise.all([migrate(a, schema), migrate(b, schema)]);
    t.same(results.map((r) => r.from).sort(), [0, LATEST_VERSION], `round ${round}: exactly one applied the migrations`);
    const n = (await a.query(`SELECT count(*)::int AS n FROM ${qualified(schema, 'schema_migrations')}`)).rows[0].n;
    t.equal(n, LATEST_VERSION, 'each version applied once');
  }
});

t.test('a database ahead of this build is refused with a message that says what to do', async (t) => {
  if (!(await needDatabase(t))) return;
  const pool = testPool(t);
  const schema = freshSchema(t);
  await migrate(pool, schema);
  await pool.query(`INSERT INTO ${qualified(schema, 'schema_migrations')} (version, description) VALUES ($1, 'from the future')`, [LATEST_VERSION + 1]);
  await t.rejects(migrate(pool, schema), SchemaTooNewError);
  await t.rejects(migrate(pool, schema), /newer than this build knows .*deploy the newer build/);
});
