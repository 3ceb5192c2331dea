// An ordinary Node.js application on node-postgres (pg) and pg-copy-streams:
// it stores and reads letters as text and knows nothing of letters_triage.
// Connection from PGHOST/PGPORT/PGDATABASE/PGUSER/PGPASSWORD, table from
// APP_TABLE.  Prints one JSON line per statement: rows, row count, command,
// error (SQLSTATE and message) and notices received.
'use strict';
const fs = require('fs');
const path = require('path');
const { pipeline } = require('stream/promises');
const { Readable } = require('stream');
const { Client, types } = require('pg');
const { from: copyFrom } = require('pg-copy-streams');

const TABLE = process.env.APP_TABLE;
const LETTERS = JSON.parse(fs.readFileSync(path.join(__dirname, 'letters.json'), 'utf8'));

function plain(v) {
  return v instanceof Date ? v.toISOString() : v;
}

function sortedJson(o) {
  const keys = Object.keys(o).sort();
  const s = {};
  for (const k of keys) s[k] = o[k];
  return JSON.stringify(s);
}

async function main() {
  // timestamp without time zone as the text the server sent
  types.setTypeParser(types.builtins.TIMESTAMP, (v) => v);
  const client = new Client();
  let notices = [];
  client.on('notice', (n) => notices.push(`${n.severity}: ${n.message}`));
  await client.connect();

  async function step(name, text, values) {
    const out = { step: name };
    notices = [];
    try {
      const r = await client.query({ text: text.replace(/\bletters\b/g, TABLE), values, rowMode: 'array' });
      out.command = r.command;
      out.rowcount = r.rowCount;
      if (r.fields && r.fields.length) {
        out.columns = r.fields.map((f) => f.name);
        out.rows = r.rows.map((row) => row.map(plain));
      }
    } catch (e) {
      out.error = [e.code, e.message];
    }
    out.notices = notices;
    console.log(sortedJson(out));
  }

  for (let i = 0; i < LETTERS.length; i++) {
    const l = LETTERS[i];
    await step(`insert ${i}`,
      'INSERT INTO letters (recipient, nhs_number, kind, created, body) VALUES ($1, $2, $3, $4, $5) RETURNING id, body',
      [l.recipient, l.nhs_number, l.kind, l.created, l.body]);
  }
  await step('select all', 'SELECT id, recipient, nhs_number, kind, created, sent, body FROM letters ORDER BY id');
  await step('equal', 'SELECT id FROM letters WHERE body = $1 ORDER BY id', [LETTERS[1].body]);
  await step('not equal', 'SELECT id FROM letters WHERE body <> $1 ORDER BY id', [LETTERS[1].body]);
  await step('equal any', 'SELECT id FROM letters WHERE body = ANY($1) ORDER BY id', [[LETTERS[3].body, LETTERS[5].body]]);
  await step('like', 'SELECT id FROM letters WHERE body LIKE $1 ORDER BY id', ['Kind:%']);
  await step('ilike', 'SELECT id FROM letters WHERE body ILIKE $1 ORDER BY id', ['%urgent%']);
  await step('regex', 'SELECT id FROM letters WHERE body ~ $1 ORDER BY id', ['\\r\\n']);
  await step('functions', "SELECT id, length(body), lower(body), left(body, 10), position($1 in body), body || $2 FROM letters ORDER BY id",
    ['Kind', '|end']);
  await step('full text', "SELECT id FROM letters WHERE to_tsvector(body) @@ plainto_tsquery($1) ORDER BY id", ['transfusion']);
  await step('order by body', 'SELECT id FROM letters ORDER BY body DESC, id');
  await step('prepared', 'SELECT count(*) FROM letters WHERE body LIKE $1', ['%review%']);

  // a transaction: two updates and a read, committed; another rolled back
  await step('begin', 'BEGIN');
  await step('tx update', 'UPDATE letters SET body = body || $1 WHERE id = $2 RETURNING id, body', ['\nP.S. in a transaction', 2]);
  await step('tx update sent', 'UPDATE letters SET sent = $1 WHERE id <= $2', ['2026-11-30 12:00:00', 4]);
  await step('tx read', 'SELECT id, body, sent FROM letters WHERE id <= 4 ORDER BY id');
  await step('commit', 'COMMIT');
  await step('begin 2', 'BEGIN');
  await step('tx delete', 'DELETE FROM letters WHERE body = $1', [LETTERS[0].body]);
  await step('rollback', 'ROLLBACK');
  await step('delete', 'DELETE FROM letters WHERE body = $1 RETURNING id', [LETTERS[5].body]);
  await step('not null', 'INSERT INTO letters (recipient, created, body) VALUES ($1, $2, $3)', ['G82001', '2026-11-30 10:00:00', null]);
  await step('bad parameter', 'SELECT id FROM letters WHERE id = $1', ['not a number']);
  await step('notice', 'DROP TABLE IF EXISTS no_such_table_here');

  // COPY FROM STDIN
  notices = [];
  const copy = client.query(copyFrom(`COPY ${TABLE} (recipient, nhs_number, created, body) FROM STDIN`));
  const data = 'G82001\t9434765919\t2026-11-30 11:00:00\tKind: death\\r\\nsubject:  copied\\n\\nbody\n' +
    'A81001\t\\N\t2026-11-30 11:01:00\tplain copied text\n' +
    'Y01234\t4010232137\t2026-11-30 11:02:00\t\\nTo: y01234\\n\\nleading blank\n';
  const out = { step: 'copy' };
  try {
    await pipeline(Readable.from([data]), copy);
    out.rowcount = copy.rowCount;
  } catch (e) {
    out.error = [e.code, e.message];
  }
  out.notices = notices;
  console.log(sortedJson(out));
  await step('select final', 'SELECT id, recipient, nhs_number, kind, created, sent, body FROM letters ORDER BY id');
  await client.end();
}

main().catch((e) => { console.error(e); process.exit(1); });
