//! `cargo xtask hint NN [TIER]`: a nudge first, then a hint, then the solution.

use crate::course::{self, Result};

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
