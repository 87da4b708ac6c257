//! Tests of the supervisor (src/supervisor.rs) with real worker processes
//! (src/main.rs). The faults are injected on purpose and happen the same way
//! on every run: a crash is a real abort, a hang never answers.

use std::collections::BTreeMap;

use exercise_10::jobs::{Job, Task, crunch};
use exercise_10::supervisor::{Fault, Program, Report, supervise};

#[path = "shared/mod.rs"]
mod shared;
use shared::{
    CHAPTER, WORKER, assert_all_workers_gone, config, pid_dir, watched,
    worker_noting_pids,
};

const HINT: &str = "does each worker thread stop when the job queue is empty? Is a hung worker killed, and every \
                    worker reaped?";

fn run(program: Program, jobs: Vec<Job>, workers: usize, retries: u32) -> Report {
    watched("supervise", HINT, move || {
        supervise(&program, jobs, &config(workers, retries))
    })
}

fn crunches(ids: std::ops::Range<u64>) -> Vec<Job> {
    ids.map(|id| Job {
        id,
        task: Task::Crunch(1000 + id),
    })
    .collect()
}

/// Every job is in the report exactly once, and each done job's value is
/// right. Returns the faults of the failed jobs by id.
fn check_every_job_once(report: &Report, jobs: &[Job]) -> BTreeMap<u64, Vec<Fault>> {
    let mut seen: BTreeMap<u64, usize> = BTreeMap::new();
    for id in report
        .done
        .iter()
        .map(|d| d.id)
        .chain(report.failed.iter().map(|f| f.id))
    {
        *seen.entry(id).or_default() += 1;
    }
    for job in jobs {
        match seen.get(&job.id) {
            None => panic!(
                "job {} is missing from the report: no job may be lost. {CHAPTER}",
                job.id
            ),
            Some(1) => {}
            Some(n) => panic!(
                "job {} is in the report {n} times: count each job once. {CHAPTER}",
                job.id
            ),
        }
    }
    assert_eq!(
        seen.len(),
        jobs.len(),
        "the report has jobs that were never given. {CHAPTER}"
    );
    assert!(
        report.done.windows(2).all(|w| w[0].id < w[1].id),
        "`done` is sorted by id. {CHAPTER}"
    );
    assert!(
        report.failed.windows(2).all(|w| w[0].id < w[1].id),
        "`failed` is sorted by id. {CHAPTER}"
    );
    for done in &report.done {
        let job = jobs.iter().find(|j| j.id == done.id).unwrap();
        let n = match job.task {
            Task::Crunch(n) | Task::CrashUntil(_, n) | Task::SlowOnce(_, n) => n,
            other => panic!(
                "job {} ({other}) cannot succeed, yet it is reported done. {CHAPTER}",
                job.id
            ),
        };
        assert_eq!(
            done.value,
            crunch(n),
            "job {}'s value belongs to another job or attempt. {CHAPTER}",
            done.id
        );
    }
    report
        .failed
        .iter()
        .map(|f| (f.id, f.faults.clone()))
        .collect()
}

#[test]
fn healthy_jobs_are_all_done() {
    let dir = pid_dir("healthy");
    let jobs = crunches(0..40);
    let report = run(worker_noting_pids(&dir), jobs.clone(), 3, 1);
    let failed = check_every_job_once(&report, &jobs);
    assert!(
        failed.is_empty(),
        "healthy jobs failed: {failed:?}. {CHAPTER}"
    );
    assert_all_workers_gone(&dir);
}

#[test]
fn workers_serve_many_jobs_each() {
    let dir = pid_dir("reuse");
    let jobs = crunches(0..30);
    let report = run(worker_noting_pids(&dir), jobs.clone(), 2, 0);
    check_every_job_once(&report, &jobs);
    let started = std::fs::read_dir(&dir).unwrap().count();
    assert!(
        started <= 4,
        "{started} worker processes were started for 30 healthy jobs on 2 workers: a healthy worker serves job \
         after job. {CHAPTER}"
    );
    assert_all_workers_gone(&dir);
}

#[test]
fn an_abort_is_a_crash_retried_then_reported() {
    let mut jobs = crunches(0..8);
    jobs.push(Job {
        id: 100,
        task: Task::Abort,
    });
    let report = run(Program::new(WORKER), jobs.clone(), 2, 2);
    let failed = check_every_job_once(&report, &jobs);
    let faults = failed
        .get(&100)
        .unwrap_or_else(|| panic!("the aborting job must be reported failed. {CHAPTER}"));
    assert_eq!(
        faults.len(),
        3,
        "tried once and retried 2 times: 3 faults, got {faults:?}. {CHAPTER}"
    );
    for fault in faults {
        let Fault::Crashed { status, .. } = fault else {
            panic!("an abort is Fault::Crashed, not {fault:?}. {CHAPTER}");
        };
        assert!(!status.success(), "{CHAPTER}");
        #[cfg(unix)]
        assert_eq!(
            std::os::unix::process::ExitStatusExt::signal(status),
            Some(6),
            "abort is SIGABRT. {CHAPTER}"
        );
    }
}

#[test]
fn a_panic_in_an_abort_on_panic_worker_is_a_crash_with_its_message() {
    let jobs = vec![
        Job {
            id: 1,
            task: Task::Crunch(10),
        },
        Job {
            id: 2,
            task: Task::Panic,
        },
    ];
    let report = run(Program::new(WORKER), jobs.clone(), 1, 1);
    let failed = check_every_job_once(&report, &jobs);
    let faults = failed.get(&2).unwrap_or_else(|| {
        panic!("the panicking job must be reported failed. {CHAPTER}")
    });
    assert_eq!(faults.len(), 2, "{faults:?}. {CHAPTER}");
    for fault in faults {
        match fault {
            Fault::Crashed { stderr, .. } => assert!(
                stderr.contains("job 2 panics on purpose"),
                "Crashed.stderr holds what the worker wrote to stderr, here the panic message: {stderr:?}. {CHAPTER}"
            ),
            other => panic!(
                "a panic in an abort-on-panic worker is Fault::Crashed, not {other:?}. {CHAPTER}"
            ),
        }
    }
}

#[test]
fn a_non_zero_exit_and_a_stack_overflow_are_crashes() {
    let jobs = vec![
        Job {
            id: 1,
            task: Task::Exit(3),
        },
        Job {
            id: 2,
            task: Task::StackOverflow,
        },
    ];
    let report = run(Program::new(WORKER), jobs.clone(), 2, 0);
    let failed = check_every_job_once(&report, &jobs);
    match failed.get(&1).map(Vec::as_slice) {
        Some([Fault::Crashed { status, .. }]) => {
            assert_eq!(status.code(), Some(3), "{CHAPTER}")
        }
        other => panic!(
            "`exit 3` should fail once (no retries) as Crashed, not {other:?}. {CHAPTER}"
        ),
    }
    match failed.get(&2).map(Vec::as_slice) {
        Some([Fault::Crashed { stderr, .. }]) => {
            assert!(
                stderr.contains("overflowed its stack"),
                "Rust reports a stack overflow on stderr: {stderr:?}. {CHAPTER}"
            )
        }
        other => {
            panic!("a stack overflow should fail as Crashed, not {other:?}. {CHAPTER}")
        }
    }
}

#[test]
fn a_hung_job_is_killed_retried_and_reported() {
    let dir = pid_dir("hang");
    let mut jobs = crunches(0..6);
    jobs.push(Job {
        id: 50,
        task: Task::Hang,
    });
    let report = run(worker_noting_pids(&dir), jobs.clone(), 2, 1);
    let failed = check_every_job_once(&report, &jobs);
    match failed.get(&50).map(Vec::as_slice) {
        Some([Fault::Hung { .. }, Fault::Hung { .. }]) => {}
        other => panic!(
            "a job that never answers fails as Hung on each of its 2 tries, not {other:?}. {CHAPTER}"
        ),
    }
    assert_all_workers_gone(&dir);
}

#[test]
fn a_crash_that_goes_away_on_retry_is_done() {
    let jobs = vec![
        Job {
            id: 7,
            task: Task::CrashUntil(2, 77),
        },
        Job {
            id: 8,
            task: Task::CrashUntil(5, 88),
        },
    ];
    let report = run(Program::new(WORKER), jobs.clone(), 2, 2);
    let failed = check_every_job_once(&report, &jobs);
    match report.done.as_slice() {
        [done] => assert_eq!(
            (done.id, done.attempts),
            (7, 3),
            "job 7 crashes twice, then succeeds on try 3. {CHAPTER}"
        ),
        other => {
            panic!("job 7 should be done (on its 3rd try), got {other:?}. {CHAPTER}")
        }
    }
    assert_eq!(
        failed.get(&8).map(Vec::len),
        Some(3),
        "job 8 is tried 3 times (2 retries) and no more. {CHAPTER}"
    );
}

#[test]
fn a_late_answer_is_never_counted() {
    // Job 1 answers only after 6 s on its first try, long after the 2 s
    // timeout. A supervisor that goes on with that worker instead of killing
    // it reads the late answer as the answer to the next request.
    let dir = pid_dir("late");
    let jobs = vec![
        Job {
            id: 1,
            task: Task::SlowOnce(6000, 11),
        },
        Job {
            id: 2,
            task: Task::Crunch(22),
        },
        Job {
            id: 3,
            task: Task::Crunch(33),
        },
    ];
    let report = run(worker_noting_pids(&dir), jobs.clone(), 1, 1);
    let failed = check_every_job_once(&report, &jobs);
    assert!(
        failed.is_empty(),
        "every job can succeed: {failed:?}. {CHAPTER}"
    );
    let attempts = report.done.iter().find(|d| d.id == 1).map(|d| d.attempts);
    assert_eq!(
        attempts,
        Some(2),
        "job 1 times out on its first try and succeeds on its second. {CHAPTER}"
    );
    assert_all_workers_gone(&dir);
}

#[test]
fn an_answer_for_another_job_is_a_bad_answer() {
    // Job 5's worker answers `ok 6 ...`: a value, but for another job. A
    // supervisor that does not check the id counts it as job 5's answer.
    let mut jobs = crunches(0..3);
    jobs.push(Job {
        id: 5,
        task: Task::WrongId(55),
    });
    let report = run(Program::new(WORKER), jobs.clone(), 1, 1);
    let failed = check_every_job_once(&report, &jobs);
    let faults = failed.get(&5).unwrap_or_else(|| {
        panic!(
            "job 5 was only ever answered as job 6: check that an answer's id is the \
             job's id, and report the job failed. {CHAPTER}"
        )
    });
    assert_eq!(
        faults.len(),
        2,
        "tried once and retried once: 2 faults, got {faults:?}. {CHAPTER}"
    );
    for fault in faults {
        assert!(
            matches!(fault, Fault::BadAnswer(line) if line.starts_with("ok 6 ")),
            "an answer for another job is Fault::BadAnswer(the line), not {fault:?}. {CHAPTER}"
        );
    }
}

#[test]
fn no_job_is_lost_among_every_kind_of_fault() {
    let dir = pid_dir("mixed");
    let mut jobs = crunches(0..12);
    jobs.extend([
        Job {
            id: 20,
            task: Task::Abort,
        },
        Job {
            id: 21,
            task: Task::Panic,
        },
        Job {
            id: 22,
            task: Task::Exit(1),
        },
        Job {
            id: 23,
            task: Task::Hang,
        },
        Job {
            id: 24,
            task: Task::CrashUntil(1, 24),
        },
    ]);
    let report = run(worker_noting_pids(&dir), jobs.clone(), 3, 1);
    let failed = check_every_job_once(&report, &jobs);
    let failed_ids: Vec<u64> = failed.keys().copied().collect();
    assert_eq!(
        failed_ids,
        [20, 21, 22, 23],
        "exactly the 4 hopeless jobs fail. {CHAPTER}"
    );
    assert!(
        failed.values().all(|faults| faults.len() == 2),
        "each failed job was tried twice: {failed:?}. {CHAPTER}"
    );
    assert_all_workers_gone(&dir);
}

#[test]
fn a_worker_that_cannot_start_fails_the_jobs_without_hanging() {
    let jobs = crunches(0..3);
    let report = run(
        Program::new("/nonexistent/course-worker"),
        jobs.clone(),
        2,
        1,
    );
    let failed = check_every_job_once(&report, &jobs);
    assert_eq!(failed.len(), 3, "{CHAPTER}");
    assert!(
        failed
            .values()
            .flatten()
            .all(|fault| matches!(fault, Fault::CannotStart(_))),
        "a program that cannot start gives Fault::CannotStart: {failed:?}. {CHAPTER}"
    );
}
