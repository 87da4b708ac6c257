//! The crates whose code `measure` times, and the one place `--mine` is
//! wired: for each exercise, its solution crate (the reference) and, in a
//! build with the feature `mine-NN`, the learner's exercise crate, both
//! behind the same interface. A workload writes each variant once, for a
//! [`Crate`], and gets the learner's rows from [`Exercise::crates`].
//!
//! The learner's crate is linked only with its feature (which `--mine` turns
//! on by itself), so that an unfinished exercise cannot break `hint` or
//! `check`: the `#[cfg]`s of `--mine` are all in this file.

use std::net::SocketAddr;
use std::ops::{Deref, Range};
use std::process::ExitCode;

use course_support::worker::Program;

use crate::course::root;

use super::{Spec, Variant};

/// A worker process's `main`, given its arguments.
pub type WorkerMain = fn(Vec<String>) -> ExitCode;

/// One crate's code of an exercise.
#[derive(Clone, Copy)]
pub struct Crate<T> {
    /// "solution-05": its worker process is `cargo xtask __worker solution-05`.
    pub name: &'static str,
    pub worker: Option<WorkerMain>,
    /// Whether this is the learner's crate: its variants are "mine: ...".
    pub mine: bool,
    pub code: T,
}

impl<T> Deref for Crate<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.code
    }
}

impl<T> Crate<T> {
    /// A variant that runs this crate's code, marked if it is the learner's.
    pub fn variant(
        &self,
        name: &str,
        workers: usize,
        run: impl Fn() -> Result<u64, String> + 'static,
    ) -> Variant {
        let variant = Variant::new(name, workers, run);
        if self.mine { variant.mine() } else { variant }
    }
}

/// An exercise whose code `--mine` times beside the reference.
pub struct Exercise<T: 'static> {
    /// "05": the feature `mine-05`, the tests `cargo test -p exercise-05`.
    pub number: &'static str,
    pub reference: Crate<T>,
    /// The learner's crate, when this build links it.
    pub mine: Option<Crate<T>>,
}

impl<T: Copy> Exercise<T> {
    /// The learner's crate, if `spec` asks for it (`--mine`).
    pub fn learner(&self, spec: &Spec) -> Option<Crate<T>> {
        self.mine.filter(|_| spec.mine)
    }

    /// The crates `spec` times: the reference, then the learner's.
    pub fn crates(&self, spec: &Spec) -> Vec<Crate<T>> {
        std::iter::once(self.reference)
            .chain(self.learner(spec))
            .collect()
    }

    fn workers(&self) -> impl Iterator<Item = (&'static str, WorkerMain)> {
        std::iter::once(self.reference)
            .chain(self.mine)
            .filter_map(|c| Some((c.name, c.worker?)))
    }
}

/// A job over a range, as chapter 05 splits it.
pub type RangeJob = fn(Range<u64>) -> u64;

/// Chapter 05: a job over a range, split among threads, rayon or processes.
#[derive(Clone, Copy)]
pub struct Split {
    pub threads: fn(Range<u64>, usize, RangeJob) -> u64,
    pub rayon: fn(Range<u64>, usize, RangeJob) -> u64,
    /// The worker program, the worker job's name, the range, the workers.
    pub processes: fn(&Program, &str, Range<u64>, usize) -> Result<u64, String>,
}

macro_rules! split {
    ($krate:ident) => {
        Split {
            threads: $krate::sum_threads::<RangeJob>,
            rayon: $krate::sum_rayon::<RangeJob>,
            processes: |program, job, range, workers| {
                $krate::sum_processes(program, job, range, workers)
                    .map_err(|e| e.to_string())
            },
        }
    };
}

/// Chapter 07: a thread pool, behind one interface. Each call is a whole
/// run, so that the indirection stays out of what is timed.
pub trait Pool {
    /// `n` round trips: one empty job each, waited for.
    fn round_trips(&self, n: u64);
    /// One batch of `tasks` tasks of `units` units each, through the pool.
    fn batch(&self, tasks: usize, units: u64) -> u64;
}

/// Chapter 07's code: how to start its pool.
#[derive(Clone, Copy)]
pub struct Pools {
    /// Starts a pool of that many threads.
    pub start: fn(usize) -> Box<dyn Pool>,
}

macro_rules! pools {
    ($krate:ident) => {
        impl Pool for $krate::Pool {
            fn round_trips(&self, n: u64) {
                for _ in 0..n {
                    $krate::overhead::pool_round_trip(self);
                }
            }
            fn batch(&self, tasks: usize, units: u64) -> u64 {
                $krate::overhead::with_pool(self, tasks, units)
            }
        }
    };
}

/// Chapter 08's answer: the bodies, in order, or the first error.
type Bodies = Result<Vec<String>, String>;

/// Chapter 08: fetch every name from a server, four ways.
#[derive(Clone, Copy)]
pub struct Fetch {
    pub sequential: fn(SocketAddr, &[String]) -> Bodies,
    /// A thread per name.
    pub threads: fn(SocketAddr, &[String]) -> Bodies,
    /// At most that many requests open at once, on as many threads.
    pub pool: fn(SocketAddr, &[String], usize) -> Bodies,
    /// That many worker processes, started from the program.
    pub processes: fn(&Program, SocketAddr, &[String], usize) -> Bodies,
}

macro_rules! fetch {
    ($krate:ident) => {
        Fetch {
            sequential: |addr, names| {
                $krate::fetch_sequential(addr, names).map_err(|e| e.to_string())
            },
            threads: |addr, names| {
                $krate::fetch_threads(addr, names).map_err(|e| e.to_string())
            },
            pool: |addr, names, workers| {
                $krate::fetch_pool(addr, names, workers).map_err(|e| e.to_string())
            },
            processes: |program, addr, names, workers| {
                $krate::fetch_processes(program, addr, names, workers)
                    .map_err(|e| e.to_string())
            },
        }
    };
}

/// `const $name`: `Some($krate)` in a build with `$feature`, else `None`.
macro_rules! linked {
    ($feature:literal, $name:ident: $t:ty = $krate:expr) => {
        #[cfg(feature = $feature)]
        const $name: Option<Crate<$t>> = Some($krate);
        #[cfg(not(feature = $feature))]
        const $name: Option<Crate<$t>> = None;
    };
}

pools!(solution_07);
#[cfg(feature = "mine-07")]
pools!(exercise_07);

// The table: every exercise `--mine` knows, its reference and its learner's crate.

pub const CHAPTER_05: Exercise<Split> = Exercise {
    number: "05",
    reference: Crate {
        name: "solution-05",
        worker: Some(solution_05::worker_main),
        mine: false,
        code: split!(solution_05),
    },
    mine: MINE_05,
};
linked!("mine-05", MINE_05: Split = Crate {
    name: "exercise-05",
    worker: Some(exercise_05::worker_main),
    mine: true,
    code: split!(exercise_05),
});

pub const CHAPTER_07: Exercise<Pools> = Exercise {
    number: "07",
    reference: Crate {
        name: "solution-07",
        worker: Some(solution_07::overhead::worker_main),
        mine: false,
        code: Pools {
            start: |workers| Box::new(solution_07::Pool::new(workers)),
        },
    },
    mine: MINE_07,
};
// The learner's pool runs in this process: no worker process of its own.
linked!("mine-07", MINE_07: Pools = Crate {
    name: "exercise-07",
    worker: None,
    mine: true,
    code: Pools {
        start: |workers| Box::new(exercise_07::Pool::new(workers)),
    },
});

pub const CHAPTER_08: Exercise<Fetch> = Exercise {
    number: "08",
    reference: Crate {
        name: "solution-08",
        worker: Some(solution_08::worker_main),
        mine: false,
        code: fetch!(solution_08),
    },
    mine: MINE_08,
};
linked!("mine-08", MINE_08: Fetch = Crate {
    name: "exercise-08",
    worker: Some(exercise_08::worker_main),
    mine: true,
    code: fetch!(exercise_08),
});

/// Whether this build links the learner's crate of exercise `number`.
pub fn linked(number: &str) -> bool {
    [
        (CHAPTER_05.number, CHAPTER_05.mine.is_some()),
        (CHAPTER_07.number, CHAPTER_07.mine.is_some()),
        (CHAPTER_08.number, CHAPTER_08.mine.is_some()),
    ]
    .contains(&(number, true))
}

/// The worker process `cargo xtask __worker NAME` becomes: the crate NAME's.
pub fn worker(name: &str) -> Option<WorkerMain> {
    // Workloads without exercise code (comm, isolation) have only these.
    let others: [(&str, WorkerMain); 2] = [
        ("solution-09", solution_09::worker::worker_main),
        ("solution-10", solution_10::worker::worker_main),
    ];
    CHAPTER_05
        .workers()
        .chain(CHAPTER_07.workers())
        .chain(CHAPTER_08.workers())
        .chain(others)
        .find(|(crate_name, _)| *crate_name == name)
        .map(|(_, main)| main)
}

/// `--mine` without the exercise's feature: xtask is built without your
/// exercises (so that an unfinished one cannot break `hint` or `check`), so
/// build it with exercise NN's code and run the same command with that build.
pub fn run_with_your_code(exercise: &str) -> crate::course::Result<()> {
    let binary = build_with_your_code(exercise)?;
    let status = std::process::Command::new(&binary)
        .current_dir(root())
        .args(std::env::args_os().skip(1))
        .status()
        .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "`measure --mine` stopped ({status}); the reason is printed above"
        ))
    }
}

/// Where `--mine` builds: its own target folder, never the running
/// binary's (Windows cannot overwrite a running `.exe`, and the build must
/// not replace the `cargo xtask` in use).
pub fn mine_target_dir() -> std::path::PathBuf {
    root().join("target").join("xtask-mine")
}

/// Builds xtask with exercise NN's code into [`mine_target_dir`], then
/// copies the binary to a name of its own (`xtask-mine-NN`), so that two
/// `--mine` runs of different exercises never overwrite each other either.
pub fn build_with_your_code(exercise: &str) -> crate::course::Result<std::path::PathBuf> {
    let feature = format!("mine-{exercise}");
    let dir = mine_target_dir();
    eprintln!(
        "--mine: building xtask with your exercise-{exercise} into {} (features {feature}) ...",
        dir.display()
    );
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = std::process::Command::new(cargo)
        .current_dir(root())
        .args([
            "build",
            "--quiet",
            "--release",
            "--package",
            "xtask",
            "--features",
        ])
        .arg(&feature)
        .arg("--target-dir")
        .arg(&dir)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!(
            "building xtask with your exercise-{exercise} failed ({status}); a compile error \
             above is in your exercise-{exercise}"
        ));
    }
    let exe = std::env::consts::EXE_SUFFIX;
    let built = dir.join("release").join(format!("xtask{exe}"));
    let copy = dir.join(format!("xtask-{feature}{exe}"));
    std::fs::copy(&built, &copy).map_err(|e| {
        format!("cannot copy {} to {}: {e}", built.display(), copy.display())
    })?;
    Ok(copy)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::workloads::ALL;

    /// Checks only what this build links: all of it with the `mine-NN` features.
    #[test]
    fn the_learners_variants_are_the_references_marked_mine() {
        for workload in ALL.iter().filter(|w| w.mine.is_some_and(linked)) {
            let spec = Spec {
                size: 10,
                workers: vec![1, 2],
                mine: true,
                only: Vec::new(),
            };
            let plan = (workload.plan)(&spec);
            // The learner's variants are the reference's (or its baseline's).
            let reference: Vec<&str> = (plan.variants.iter())
                .filter(|v| !v.mine)
                .map(|v| v.name.as_str())
                .chain(["sequential"])
                .collect();
            let mine: Vec<&Variant> = plan.variants.iter().filter(|v| v.mine).collect();
            assert!(!mine.is_empty(), "{}: no learner's variant", workload.name);
            for variant in mine {
                assert!(
                    variant.name.starts_with("mine: ")
                        && reference.contains(&variant.base_name()),
                    "{}: {}",
                    workload.name,
                    variant.name
                );
            }
        }
    }

    #[test]
    fn every_crate_with_a_worker_can_become_it() {
        let named: Vec<(&str, WorkerMain)> = CHAPTER_05
            .workers()
            .chain(CHAPTER_07.workers())
            .chain(CHAPTER_08.workers())
            .collect();
        for (name, _) in named {
            assert!(worker(name).is_some(), "{name}");
        }
        assert!(worker("exercise-07").is_none() && worker("nope").is_none());
    }

    #[test]
    fn mine_never_builds_where_the_running_binary_lives() {
        let running = std::env::current_exe().unwrap();
        let mine = mine_target_dir();
        assert!(!running.starts_with(&mine), "{}", running.display());
        // Neither the release folder of `cargo xtask` nor this test's.
        let target = root().join("target");
        for used in [target.join("release"), target.join("debug")] {
            assert!(!mine.starts_with(&used) && !used.starts_with(&mine));
        }
    }
}
