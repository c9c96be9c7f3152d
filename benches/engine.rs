//! Speed of loading, compiling and rescoring, at 10k, 100k and 1M leads
//! shaped like the bundled sample, with the bundled ruleset grown to 40 rules.
//!
//!   cargo bench --bench engine                      # everything
//!   cargo bench --bench engine -- rescore/weight    # one group
//!
//! Ids are stable so figures can be tracked over time:
//! load/{n}, rescore/full/{n}, rescore/weight_edit/{n}, rescore/threshold_edit/{n},
//! rescore/broad_rule_edit/{n} (the rule that fires on the most leads),
//! rescore/each_rule_edit/{n} (every rule in turn), rescore/cap_edit/{n},
//! rescore/gate_edit/{n} (a group cap, a gate cap).

use criterion::measurement::WallTime;
use criterion::{
    BenchmarkGroup, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main,
};
use leadlab::data;
use leadlab::engine;
use leadlab::metrics::{self, LiveReview};
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
        let mut m = Meeting {
            compiled: &compiled,
            table: &table,
            edited: rs.clone(),
            ev: LiveReview::new(50),
        };
        m.ev.evaluate(m.compiled, &m.edited, m.table);
        // Every edit is undone by the next: +, -, +, ...
        let step = |i: usize| if i.is_multiple_of(2) { 1.0 } else { -1.0 };
        let find = |ids: Vec<&str>, id: &str| ids.iter().position(|x| *x == id).unwrap();
        // A points edit on a rule that fires often (on a third of the leads).
        let webinar = find(
            rs.rules.iter().map(|r| r.id.as_str()).collect(),
            "webinar-attended",
        );
        m.bench(&mut g, "weight_edit", n, |rs, i| {
            rs.rules[webinar].points += step(i)
        });
        // The worst case for a points edit: the rule that fires on the most
        // leads (on the sample, `core-region`, on four fifths of them).
        let broadest = (0..rs.rules.len())
            .max_by_key(|&k| compiled.rules[k].when.set().map_or(0, |s| s.t.count_ones()))
            .unwrap();
        m.bench(&mut g, "broad_rule_edit", n, |rs, i| {
            rs.rules[broadest].points += step(i)
        });
        // A meeting edits one rule after another: each iteration the next
        // of the 40 rules, +1 on the way through, -1 on the way back.
        m.bench(&mut g, "each_rule_edit", n, |rs, i| {
            let k = i % rs.rules.len();
            rs.rules[k].points += step(i / rs.rules.len());
        });
        // A group cap and a gate cap, the other edits a meeting makes.
        let intent = find(
            rs.groups.iter().map(|g| g.name.as_str()).collect(),
            "intent",
        );
        m.bench(&mut g, "cap_edit", n, |rs, i| {
            *rs.groups[intent].cap.as_mut().unwrap() += 5.0 * step(i)
        });
        let student = find(
            rs.gates.iter().map(|g| g.id.as_str()).collect(),
            "student-or-consumer",
        );
        m.bench(&mut g, "gate_edit", n, |rs, i| {
            rs.gates[student].cap += 5.0 * step(i)
        });
        let mql = find(rs.tiers.iter().map(|t| t.name.as_str()).collect(), "MQL");
        m.bench(&mut g, "threshold_edit", n, |rs, i| {
            *rs.tiers[mql].min.as_mut().unwrap() += step(i)
        });
        g.finish();
    }
}

/// A review meeting's side of an edit: the ruleset being edited and the
/// live review that rescores it for the workbench.
struct Meeting<'a> {
    compiled: &'a engine::Compiled,
    table: &'a data::LeadTable,
    edited: Ruleset,
    ev: LiveReview,
}

impl Meeting<'_> {
    /// Bench one kind of edit: `edit(ruleset, i)` makes the i-th, then
    /// everything the workbench shows is recomputed.
    fn bench(
        &mut self,
        g: &mut BenchmarkGroup<'_, WallTime>,
        id: &str,
        n: usize,
        mut edit: impl FnMut(&mut Ruleset, usize),
    ) {
        let mut i = 0;
        g.bench_function(BenchmarkId::new(id, n), |b| {
            b.iter(|| {
                edit(&mut self.edited, i);
                i += 1;
                black_box(self.ev.evaluate(self.compiled, &self.edited, self.table))
            })
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
