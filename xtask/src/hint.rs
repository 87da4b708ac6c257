//! `cargo xtask hint NN [TIER]`: a nudge first, then a hint, then the solution.
//! In a workshop (`workshop.rs`) the last tier waits for the instructor.

use crate::course::{self, Result};
use crate::workshop;

pub fn show(exercise: &str, tier: usize) -> Result<()> {
    let exercise = course::exercise(exercise)?;
    let hints = &exercise.meta.hints;
    let tiers = hints.len() + 1; // the last tier is the solution
    if tier == 0 || tier > tiers {
        return Err(format!(
            "exercise {} has hints 1 to {tiers}",
            exercise.number
        ));
    }
    let number: u32 = exercise.number.parse().unwrap_or(0);
    if tier == tiers && !workshop::current(None)?.is_open(number) {
        return Err(format!(
            "hint {tier} of exercise {} is the reference solution, which your instructor has not \
             released yet ({}); hint {} is the last one until then",
            exercise.number,
            workshop::FILE,
            tiers - 1
        ));
    }
    let label = match tier {
        1 => "a nudge",
        t if t == tiers => "the solution",
        _ => "a hint",
    };
    println!(
        "Exercise {}: {} — hint {tier} of {tiers}, {label}",
        exercise.number, exercise.meta.title
    );
    println!("Chapter: {}\n", exercise.chapter_path());
    if tier == tiers {
        println!(
            "The reference solution is in solutions/{}/src/. Finish on your own first if you can, \
             then compare: the files differ only between `// BEGIN YOUR CODE` and `// END YOUR CODE`.",
            exercise.solution_package()
        );
    } else {
        println!("{}", hints[tier - 1]);
        println!(
            "\nStill stuck? cargo xtask hint {} {}",
            exercise.number,
            tier + 1
        );
    }
    Ok(())
}
