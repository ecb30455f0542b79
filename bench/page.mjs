// The page-side runners of the benchmark: the same job (cases and gross expenses by Kommune,
// Jahr, Leistungsart) done with PapaParse in worker mode plus aggregation in JS, and with
// DuckDB-WASM's read_csv and GROUP BY. Each returns the seconds it took and the groups as
// [Kommune, Jahr, Leistungsart, cases, gross] rows; bench.mjs checks them against the totals.

import * as duckdb from '/node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser.mjs';

const file = () => document.getElementById('file').files[0];

/** German decimal comma with point thousands, as gen_cases.py writes it. */
const germanNumber = (s) => parseFloat(s.replaceAll('.', '').replace(',', '.'));

window.runPapa = () =>
  new Promise((resolve, reject) => {
    const t0 = performance.now();
    const groups = new Map();
    let columns = null;
    Papa.parse(file(), {
      worker: true,
      delimiter: ';',
      encoding: 'windows-1252',
      skipEmptyLines: true,
      chunk: (results) => {
        for (const row of results.data) {
          if (!columns) {
            columns = ['Kommune', 'Jahr', 'Leistungsart', 'Bruttoausgaben'].map((c) => row.indexOf(c));
            continue;
          }
          const [m, y, b, g] = columns;
          const key = `${row[m]}\u0001${row[y]}\u0001${row[b]}`;
          let acc = groups.get(key);
          if (!acc) groups.set(key, (acc = [0, 0]));
          acc[0] += 1;
          acc[1] += germanNumber(row[g]);
        }
      },
      complete: () => {
        const seconds = (performance.now() - t0) / 1000;
        const rows = [...groups].map(([k, [cases, gross]]) => [...k.split('\u0001'), cases, gross]);
        resolve({ seconds, rows });
      },
      error: (e) => reject(String(e)),
    });
  });

let bundle = null;

async function chooseBundle() {
  const dist = new URL('/node_modules/@duckdb/duckdb-wasm/dist/', location.href).href;
  const bundles = {
    mvp: { mainModule: dist + 'duckdb-mvp.wasm', mainWorker: dist + 'duckdb-browser-mvp.worker.js' },
    eh: { mainModule: dist + 'duckdb-eh.wasm', mainWorker: dist + 'duckdb-browser-eh.worker.js' },
    coi: {
      mainModule: dist + 'duckdb-coi.wasm',
      mainWorker: dist + 'duckdb-browser-coi.worker.js',
      pthreadWorker: dist + 'duckdb-browser-coi.pthread.worker.js',
    },
  };
  bundle ??= await duckdb.selectBundle(bundles);
  return bundle;
}

// Every run gets a database of its own (started before the clock runs, as the app's worker is
// started with the page) and the file's bytes as a registered buffer: a File handle registered
// with BROWSER_FILEREADER was lost between runs ("No HTML5 file registered"), and a database
// that failed once stays unusable. DuckDB-WASM 1.32.0's parallel CSV reader with encoding =
// 'latin-1' breaks a record at a buffer boundary of the 1,000,000-row file ("Expected Number of
// Columns: 13 Found: 7"), so it reads with parallel = false.
window.runDuckDb = async () => {
  const b = await chooseBundle();
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), new Worker(b.mainWorker));
  await db.instantiate(b.mainModule, b.pthreadWorker);
  try {
    const t0 = performance.now();
    await db.registerFileBuffer('cases.csv', new Uint8Array(await file().arrayBuffer()));
    const conn = await db.connect();
    const result = await conn.query(`
      SELECT Kommune, Jahr, Leistungsart, count(*)::INTEGER AS cases,
             sum(replace(replace(Bruttoausgaben, '.', ''), ',', '.')::DOUBLE) AS gross
      FROM read_csv('cases.csv', delim = ';', header = true, all_varchar = true,
                    encoding = 'latin-1', parallel = false)
      GROUP BY ALL`);
    const rows = result.toArray().map((r) => [r.Kommune, r.Jahr, r.Leistungsart, r.cases, r.gross]);
    await conn.close();
    const seconds = (performance.now() - t0) / 1000;
    return { seconds, rows, bundle: b.mainModule.split('/').pop(), threads: navigator.hardwareConcurrency };
  } finally {
    await db.terminate();
  }
};

document.getElementById('ready').textContent = 'ready';
