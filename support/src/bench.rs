//! The one criterion configuration of the course's benches (exercises 05,
//! 07 and 11).
//!
//! Short on purpose: a learner runs `cargo bench` for a first look, in
//! seconds. Criterion's own options still win, e.g.
//! `cargo bench -p exercise-05 --bench variants -- --measurement-time 5`.

use std::time::Duration;

use criterion::Criterion;

/// 0.3 s of warm-up, then 10 samples in about 2 s, per benchmark: enough
/// for a routine of 50 ms (05's sequential job) to fill its samples.
///
/// ```
/// criterion::criterion_group! {
///     name = benches;
///     config = course_support::bench::config();
///     targets = my_bench
/// }
/// # fn my_bench(_: &mut criterion::Criterion) {}
/// # fn main() {}
/// ```
pub fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2))
        .sample_size(10)
}
