//! Speed of loading, compiling and rescoring, at 10k, 100k and 1M leads
//! shaped like the bundled sample, with the bundled ruleset grown to 40 rules.
//!
//!   cargo bench --bench engine                      # everything
//!   cargo bench --bench engine -- rescore/weight    # one group
//!
//! Ids are stable so figures can be tracked over time:
//! load/{n}, rescore/full/{n}, rescore/weight_edit/{n}, rescore/threshold_edit/{n},
//! and rescore/each_rule_edit/{n} (every rule in turn), rescore/cap_edit/{n},
//! rescore/gate_edit/{n} (a group cap, a gate cap).

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use leadlab::data;
use leadlab::engine;
use leadlab::metrics::{self, Evaluator};
use leadlab::ruleset::Ruleset;
use leadlab::session::EXAMPLE_RULESET;
use std::hint::black_box;
use std::time::Duration;

const SIZES: [usize; 3] = [10_000, 100_000, 1_000_000];

/// The bundled ruleset plus four rules, to reach the 40 of the target.
fn ruleset() -> Ruleset {
    let mut text = EXAMPLE_RULESET.to_string();
    for (i, cond) in [
        "email_opens >= 5",
        "case_study_views >= 2 and pricing_page_views >= 1",
        "lead_source == \"Referral\"",
        "days_since(created_date) <= 14",
    ]
    .iter()
    .enumerate()
    {
        text.push_str(&format!(
            "\n[[rules]]\nid = \"bench-{i}\"\ngroup = \"intent\"\nwhen = '{cond}'\npoints = 4\n"
        ));
    }
    let rs = Ruleset::parse("bench.toml", text).expect("bench ruleset");
    assert_eq!(rs.rules.len(), 40);
    rs
}

fn csv(rows: usize) -> Vec<u8> {
    let mut out = Vec::new();
    leadlab::sample::generate(rows, 1, &mut out).unwrap();
    out
}

fn as_of(rs: &Ruleset) -> i32 {
    data::day_number(rs.model.as_of.unwrap())
}

fn bench(c: &mut Criterion) {
    let rs = ruleset();
    let opts = rs.data_options(false);
    for n in SIZES {
        let bytes = csv(n);
        let mut g = c.benchmark_group("load");
        g.sample_size(10)
            .measurement_time(Duration::from_secs(if n >= 1_000_000 { 30 } else { 5 }));
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| data::load_reader("bench.csv", black_box(&bytes[..]), &opts).unwrap())
        });
        g.finish();

        let (table, _) = data::load_reader("bench.csv", &bytes[..], &opts).unwrap();
        drop(bytes);
        let compiled = engine::compile(&rs, &table, as_of(&rs)).unwrap();

        let mut g = c.benchmark_group("rescore");
        g.sample_size(10).measurement_time(Duration::from_secs(5));
        // compile + score + review (+ rule evidence) from a loaded table.
        g.bench_function(BenchmarkId::new("full", n), |b| {
            b.iter(|| {
                let compiled = engine::compile(&rs, &table, as_of(&rs)).unwrap();
                let scores = engine::score(&compiled, &rs);
                let review = metrics::review(&compiled, &rs, &table, &scores, 50);
                let evidence = metrics::rule_evidence(&compiled, &rs, &table);
                black_box((review, evidence))
            })
        });
        // A points edit on a rule that fires often, as in a review meeting:
        // everything the workbench shows, recomputed.
        let webinar = rs
            .rules
            .iter()
            .position(|r| r.id == "webinar-attended")
            .unwrap();
        let mut edited = rs.clone();
        let mut ev = Evaluator::new(50);
        ev.evaluate(&compiled, &edited, &table);
        let mut step = 1.0;
        g.bench_function(BenchmarkId::new("weight_edit", n), |b| {
            b.iter(|| {
                edited.rules[webinar].points += step;
                step = -step;
                black_box(ev.evaluate(&compiled, &edited, &table))
            })
        });
        // A meeting edits one rule after another: each iteration the next
        // of the 40 rules, +1 on the way through, -1 on the way back.
        let mut next = 0;
        g.bench_function(BenchmarkId::new("each_rule_edit", n), |b| {
            b.iter(|| {
                let k = next % edited.rules.len();
                let up = (next / edited.rules.len()).is_multiple_of(2);
                edited.rules[k].points += if up { 1.0 } else { -1.0 };
                next += 1;
                black_box(ev.evaluate(&compiled, &edited, &table))
            })
        });
        // A group cap and a gate cap, the other edits a meeting makes.
        let intent = edited
            .groups
            .iter()
            .position(|g| g.name == "intent")
            .unwrap();
        g.bench_function(BenchmarkId::new("cap_edit", n), |b| {
            b.iter(|| {
                *edited.groups[intent].cap.as_mut().unwrap() += 5.0 * step;
                step = -step;
                black_box(ev.evaluate(&compiled, &edited, &table))
            })
        });
        let student = edited
            .gates
            .iter()
            .position(|g| g.id == "student-or-consumer")
            .unwrap();
        g.bench_function(BenchmarkId::new("gate_edit", n), |b| {
            b.iter(|| {
                edited.gates[student].cap += 5.0 * step;
                step = -step;
                black_box(ev.evaluate(&compiled, &edited, &table))
            })
        });
        let mql = edited.tiers.iter().position(|t| t.name == "MQL").unwrap();
        g.bench_function(BenchmarkId::new("threshold_edit", n), |b| {
            b.iter(|| {
                *edited.tiers[mql].min.as_mut().unwrap() += step;
                step = -step;
                black_box(ev.evaluate(&compiled, &edited, &table))
            })
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
