//! Grades a scratch fork: a small workspace of exercises 01 and 02 under
//! git, tagged as the course, then exercise 01 solved (the reference's
//! code) and one test of exercise 02 edited.

use std::fs;
use std::path::Path;
use std::process::Command;

use super::{Fork, Status};
use crate::course::{files_below, root};

fn copy_dir(from: &Path, to: &Path) {
    for file in files_below(from).unwrap() {
        fs::create_dir_all(to.join(&file).parent().unwrap()).unwrap();
        fs::copy(from.join(&file), to.join(&file)).unwrap();
    }
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=test", "-c", "user.email=test@example.com"])
        .args(args)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

#[test]
fn a_solved_exercise_is_done_and_an_edited_test_is_flagged() {
    let course = root();
    let scratch =
        std::env::temp_dir().join(format!("course-grade-{}", std::process::id()));
    let _ = fs::remove_dir_all(&scratch);
    for dir in ["support", "exercises/exercise-01", "exercises/exercise-02"] {
        copy_dir(&course.join(dir), &scratch.join(dir));
    }
    fs::copy(course.join("Cargo.lock"), scratch.join("Cargo.lock")).unwrap();
    let manifest = fs::read_to_string(course.join("Cargo.toml")).unwrap();
    let mut manifest: toml::Table = toml::from_str(&manifest).unwrap();
    let workspace = manifest["workspace"].as_table_mut().unwrap();
    workspace.insert(
        "members".into(),
        toml::Value::from(vec!["exercises/*", "support"]),
    );
    workspace.remove("default-members");
    fs::write(
        scratch.join("Cargo.toml"),
        toml::to_string(&manifest).unwrap(),
    )
    .unwrap();
    git(&scratch, &["init", "-q"]);
    git(&scratch, &["add", "."]);
    git(&scratch, &["commit", "-q", "-m", "the course"]);
    git(&scratch, &["tag", "course-v1"]);

    // The learner's work: 01 solved, 02's test "fixed" to pass.
    let solved =
        fs::read_to_string(course.join("solutions/solution-01/src/lib.rs")).unwrap();
    let lib = scratch.join("exercises/exercise-01/src/lib.rs");
    fs::write(&lib, solved.replace("solution_01", "exercise_01")).unwrap();
    let tests = scratch.join("exercises/exercise-02/tests");
    let test = files_below(&tests).unwrap().into_iter().next().unwrap();
    let text = fs::read_to_string(tests.join(&test)).unwrap();
    fs::write(tests.join(&test), format!("{text}\n// made to pass\n")).unwrap();

    let fork = Fork {
        root: scratch.clone(),
        // Kept between runs: the scratch workspace's builds are small.
        target_dir: Some(course.join("target").join("grade-test")),
    };
    assert_eq!(fork.newest_tag().unwrap(), "course-v1");
    let grades = fork.grade(&[], "course-v1", |_| {}).unwrap();
    assert_eq!(grades.len(), 2);
    assert_eq!(grades[0].status, Status::Done, "{grades:?}");
    assert!(grades[0].edited_tests.is_empty(), "{grades:?}");
    assert_eq!(grades[1].status, Status::Untouched, "{grades:?}");
    let edited = format!("tests/{}", test.display()).replace('\\', "/");
    assert_eq!(grades[1].edited_tests, vec![edited], "{grades:?}");
    // A wrong base is one line, not a panic.
    let error = fork.grade(&[], "no-such-tag", |_| {}).unwrap_err();
    assert!(error.contains("no-such-tag"), "{error}");
    fs::remove_dir_all(&scratch).unwrap();
}
