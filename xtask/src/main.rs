//! `cargo xtask`: the course's own command line.
//!
//! * `cargo xtask serve`: install the pinned book tools if needed, build the
//!   book and serve it on localhost.
//! * `cargo xtask book`: build the book only (CI); warnings fail the build.
//! * `cargo xtask check`: prove, for every exercise, that its starter fails
//!   (naming its chapter) and its solution passes.
//! * `cargo xtask hint NN`: tiered hints for one exercise.
//! * `cargo xtask progress [--json]`: every exercise's status, and the next
//!   one to do (`--json`: for an autograder).
//! * `cargo xtask measure [WORKLOAD]`: time threads, rayon and processes
//!   against sequential code on this machine (see `measure/mod.rs`).
//! * `cargo xtask figures`: measure again every figure of the book.
//! * `cargo xtask trace NN [--wrong NAME]`: a failing loom execution as JSON.
//! * `cargo xtask doctor [--prebuild]`: is this laptop ready for a workshop?

mod book;
mod check;
mod course;
mod doctor;
mod grade;
mod hint;
mod linkcheck;
mod measure;
mod play;
mod progress;
mod serve;
mod tools;
mod trace;
mod workshop;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "The command line of the course \"Threads or Processes?\""
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the book and serve it on http://127.0.0.1:PORT (installs mdBook on first use).
    Serve {
        /// The port to serve on.
        #[arg(long, default_value_t = 3000)]
        port: u16,
        /// Open the book in a browser as well.
        #[arg(long)]
        open: bool,
        /// A workshop: only these exercises' solutions are open (`01-03,05`, or `none`).
        #[arg(long, value_name = "EXERCISES")]
        release_solutions: Option<String>,
    },
    /// Build the book into target/book; any mdBook warning is an error.
    Book {
        /// A workshop: only these exercises' solutions are open (`01-03,05`, or `none`).
        #[arg(long, value_name = "EXERCISES")]
        release_solutions: Option<String>,
    },
    /// Check every exercise: starter fails naming its chapter, solution passes, files pair up.
    Check {
        /// Only these exercises (for example `01 03`); all of them by default.
        exercises: Vec<String>,
        /// Grade a learner's fork instead: done, failing or untouched, and edited tests.
        #[arg(long)]
        student: bool,
        /// With --student: the course's git ref to compare the tests with (the newest tag).
        #[arg(long, requires = "student", value_name = "REF")]
        base: Option<String>,
        /// With --student: print one JSON document instead of the table.
        #[arg(long, requires = "student")]
        json: bool,
        /// Mutation-test the solutions' YOUR CODE regions: can a wrong answer fool the tests?
        #[arg(long, conflicts_with = "student")]
        mutants: bool,
    },
    /// Is this machine ready for a workshop day? `--prebuild` then builds all it needs.
    Doctor {
        /// Also build everything the day uses, then print `READY <commit> <os> <rust>`.
        #[arg(long)]
        prebuild: bool,
    },
    /// Where you stand: every exercise's status, from running its tests now, and what to do next.
    Progress {
        /// Then rerun the current exercise's tests whenever one of its files changes.
        #[arg(long, conflicts_with = "json")]
        watch: bool,
        /// Print one JSON document instead (status, counts, first failure), for an autograder.
        #[arg(long)]
        json: bool,
    },
    /// Show a hint for an exercise: `cargo xtask hint 01`, then `cargo xtask hint 01 2`.
    Hint {
        /// The exercise number, for example `01`.
        exercise: String,
        /// Which hint: 1 is a nudge, 2 a real hint, the last one points to the solution.
        #[arg(default_value_t = 1)]
        tier: usize,
    },
    /// Time the parallel variants against sequential code on this machine: `cargo xtask measure cpu`.
    #[command(after_help = measure::workload_list())]
    Measure(measure::Args),
    /// Measure again every table and chart of the book, as the book made them (a few minutes).
    Figures {
        /// Only the figures of these workloads (for example `io comm`).
        workloads: Vec<String>,
        /// Print the commands instead of running them.
        #[arg(long)]
        list: bool,
    },
    /// The first failing execution loom finds in an exercise, as JSON: `cargo xtask trace 03`.
    Trace {
        /// The exercise number, for example `03`.
        exercise: String,
        /// A known wrong answer's test instead of yours (`--wrong lock_twice`).
        #[arg(long)]
        wrong: Option<String>,
    },
    /// A worker process of `cargo xtask measure` (started by it, not by you).
    #[command(name = "__worker", hide = true)]
    Worker {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// The book's preprocessor, run by mdBook (book/preprocess.rs).
    #[command(name = "__preprocess", hide = true)]
    Preprocess {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Worker { args } => return measure::worker(args),
        Command::Measure(args) => measure::run(args),
        Command::Figures { workloads, list } => measure::figures::run(&workloads, list),
        Command::Serve {
            port,
            open,
            release_solutions,
        } => book::serve(port, open, release_solutions),
        Command::Book { release_solutions } => book::build(release_solutions.as_deref()),
        Command::Check {
            exercises,
            student: true,
            base,
            json,
            ..
        } => grade::run(&exercises, base.as_deref(), json),
        Command::Check {
            exercises, mutants, ..
        } => check::run(&exercises, mutants),
        Command::Doctor { prebuild } => doctor::run(prebuild),
        Command::Preprocess { args } => book::preprocess::run(&args),
        Command::Hint { exercise, tier } => hint::show(&exercise, tier),
        Command::Trace { exercise, wrong } => trace::run(&exercise, wrong.as_deref()),
        Command::Progress { watch, json } => progress::run(watch, json),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
