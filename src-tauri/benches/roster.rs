//! Roster speed at 100,000 and 1,000,000 workers: search by a name fragment, by PINFL and
//! by a Cyrillic spelling, a filtered sorted page of 50, and a naive `LIKE '%…%'` scan of
//! the same query for comparison; plus `demo` throughput. Criterion reports means; a
//! second pass records p50/p99 over 500 varied queries into target/bench-roster.json.
//!
//! `SAFAR_BENCH_SIZES=100000` limits the sizes (default: 100000,1000000; `0` runs only the
//! demo benchmarks). Databases are
//! kept in target/bench-data/ so a re-run skips the fill.

use criterion::{criterion_group, criterion_main, Criterion};
use safar::clock::FixedClock;
use safar::desk::Desk;
use safar::i18n::Lang;
use safar::roster::{ListQuery, SortKey};
use safar::store::Store;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

const SURNAME_FRAGMENTS: &[&str] =
    &["Gulom", "Rahim", "Kodir", "Karim", "Toshma", "Yusup", "Nazar", "Ergash", "Sobir", "Tursun"];
const CYRILLIC: &[&str] =
    &["Ғуломов", "Рахимов", "Кодиров", "Каримов", "Тошматов", "Юсупов", "Хужаев", "Эргашев", "Собиров", "Турсунов"];

/// Russian-era and passport spellings of the demo's surnames that folding alone does not
/// join: the "similar spelling" tier answers them (issue 13).
const SIMILAR: &[&str] = &[
    "Kadyrov",
    "Yakubov",
    "Ишматов",
    "Khodjaev",
    "Ibrahimov",
    "Tashmatov",
    "Gulyamov",
    "Абдулаев",
    "Sabirov",
    "DJURAEV",
];
/// Two words, one of them a similar spelling: the general (GROUP BY) query.
const TWO_WORDS: &[&str] = &[
    "Kadyrov Jasur",
    "Yakubov Anvar",
    "Ишматов Бекзод",
    "Khodjaev Sardor",
    "Ibrahimov Otabek",
    "Tashmatov Akmal",
    "Gulyamov Nodir",
    "Абдулаев Рустам",
    "Sabirov Zafar",
    "DJURAEV BOBUR",
];

fn sizes() -> Vec<u32> {
    std::env::var("SAFAR_BENCH_SIZES")
        .unwrap_or_else(|_| "100000,1000000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .filter(|n| *n > 0)
        .collect()
}

fn data_dir(n: u32) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/bench-data").join(format!("workers-{n}-v2"))
}

/// Opens (filling on first use) a database of `n` demo workers; returns the fill rate
/// when it had to fill.
fn prepare(rt: &tokio::runtime::Runtime, n: u32) -> (Desk, Option<f64>) {
    let dir = data_dir(n);
    let fresh = !dir.join("complete").exists();
    if fresh {
        let _ = std::fs::remove_dir_all(&dir);
    }
    rt.block_on(async {
        let store = Store::open(&dir).await.expect("open store");
        let clock = FixedClock::on(2026, 11, 25).expect("date");
        let desk = Desk::new(store, Arc::new(clock));
        let mut rate = None;
        if fresh {
            let t = Instant::now();
            safar::demo::fill(&desk, n, 42, "bench").await.expect("demo");
            rate = Some(f64::from(n) / t.elapsed().as_secs_f64());
            std::fs::write(dir.join("complete"), b"").expect("marker");
        }
        (desk, rate)
    })
}

fn percentiles(mut samples: Vec<Duration>) -> (f64, f64) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize].as_secs_f64() * 1000.0;
    (at(0.5), at(0.99))
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("runtime");
    let mut report = serde_json::Map::new();

    // `safar demo` split in its two halves: making the people, and writing them.
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).expect("date");
    let mut g = c.benchmark_group("demo");
    g.sample_size(10);
    g.bench_function("generate_1000", |b| {
        let mut rng = fastrand::Rng::with_seed(1);
        b.iter(|| (0..1000u64).map(|n| safar::demo::worker(&mut rng, n, today)).count())
    });
    g.bench_function("fill_20000_fresh_db", |b| {
        b.iter(|| {
            let dir = tempfile::tempdir().expect("tempdir");
            rt.block_on(async {
                let store = Store::open(dir.path()).await.expect("open");
                let desk = Desk::new(store, Arc::new(FixedClock::on(2026, 11, 25).expect("date")));
                safar::demo::fill(&desk, 20_000, 7, "bench").await.expect("fill");
                desk.store.close().await;
            })
        })
    });
    g.finish();
    for n in sizes() {
        let (desk, rate) = prepare(&rt, n);
        // Real PINFLs from the database to look up.
        let pinfls: Vec<String> = rt.block_on(async {
            let q = ListQuery { limit: Some(200), sort: SortKey::BirthDate, ..Default::default() };
            desk.list(&q, Lang::En).await.expect("list").items.into_iter().map(|r| r.row.pinfl).collect()
        });
        let run = |q: &ListQuery| rt.block_on(desk.list(q, Lang::En)).expect("query").items.len();
        let search = |s: &str| ListQuery { search: Some(s.to_string()), ..Default::default() };
        let page = |i: usize| ListQuery {
            status: Some(["registered", "in_training", "departed"][i % 3].into()),
            region: Some(["AN", "SA", "TK", "FA"][i % 4].into()),
            sort: SortKey::Name,
            limit: Some(50),
            ..Default::default()
        };

        let mut g = c.benchmark_group(format!("roster_{n}"));
        g.sample_size(50);
        g.bench_function("search_name_fragment", |b| b.iter(|| run(&search("Gulom"))));
        g.bench_function("search_pinfl", |b| b.iter(|| run(&search(&pinfls[0]))));
        g.bench_function("search_cyrillic", |b| b.iter(|| run(&search("Ғуломов"))));
        g.bench_function("page_filtered_sorted", |b| b.iter(|| run(&page(0))));
        g.bench_function("search_similar_spelling", |b| b.iter(|| run(&search("Kadyrov"))));
        g.bench_function("search_two_words_similar", |b| b.iter(|| run(&search("Kadyrov Jasur"))));
        g.sample_size(10);
        g.bench_function("naive_like_scan", |b| {
            b.iter(|| rt.block_on(desk.store.naive_name_search("ulom", 50)).expect("scan"))
        });
        g.finish();

        // Percentiles over varied queries (500 each; the naive scan 20 times).
        let time = |f: &mut dyn FnMut(usize)| {
            let mut v = Vec::new();
            for i in 0..500 {
                let t = Instant::now();
                f(i);
                v.push(t.elapsed());
            }
            percentiles(v)
        };
        let mut entry = serde_json::Map::new();
        let mut put = |name: &str, (p50, p99): (f64, f64)| {
            entry.insert(name.into(), serde_json::json!({"p50_ms": p50, "p99_ms": p99}));
        };
        put(
            "search_name_fragment",
            time(&mut |i| {
                std::hint::black_box(run(&search(SURNAME_FRAGMENTS[i % SURNAME_FRAGMENTS.len()])));
            }),
        );
        put(
            "search_pinfl",
            time(&mut |i| {
                std::hint::black_box(run(&search(&pinfls[i % pinfls.len()])));
            }),
        );
        put(
            "search_cyrillic",
            time(&mut |i| {
                std::hint::black_box(run(&search(CYRILLIC[i % CYRILLIC.len()])));
            }),
        );
        put(
            "page_filtered_sorted",
            time(&mut |i| {
                std::hint::black_box(run(&page(i)));
            }),
        );
        put(
            "search_similar_spelling",
            time(&mut |i| {
                std::hint::black_box(run(&search(SIMILAR[i % SIMILAR.len()])));
            }),
        );
        put(
            "search_two_words_similar",
            time(&mut |i| {
                std::hint::black_box(run(&search(TWO_WORDS[i % TWO_WORDS.len()])));
            }),
        );
        let mut naive = Vec::new();
        for _ in 0..20 {
            let t = Instant::now();
            rt.block_on(desk.store.naive_name_search("ulom", 50)).expect("scan");
            naive.push(t.elapsed());
        }
        put("naive_like_scan", percentiles(naive));
        if let Some(rate) = rate {
            entry.insert("demo_workers_per_second".into(), serde_json::json!(rate.round()));
        }
        report.insert(n.to_string(), serde_json::Value::Object(entry));
        rt.block_on(desk.store.close());
    }
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/bench-roster.json");
    let text = serde_json::to_string_pretty(&report).unwrap_or_default();
    println!("{text}");
    let _ = std::fs::write(out, text);
}

criterion_group!(benches, bench);
criterion_main!(benches);
