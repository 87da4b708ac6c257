//! `cargo xtask doctor`: passes on a machine that builds the course, and
//! names a too-old Rust (simulated) and exits non-zero.

use std::process::Command;

fn doctor(rust: Option<&str>) -> (bool, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command.arg("doctor");
    if let Some(version) = rust {
        command.env("XTASK_DOCTOR_RUST_VERSION", version);
    }
    let out = command.output().expect("cannot run xtask");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn this_machine_is_ready() {
    let (ok, text) = doctor(None);
    assert!(ok, "{text}");
    let ready = text.lines().find(|l| l.starts_with("READY ")).expect(&text);
    // READY <commit> <os> <rust> ...
    assert!(ready.split_whitespace().count() >= 4, "{ready}");
}

#[test]
fn a_too_old_rust_is_named_and_fails() {
    let (ok, text) = doctor(Some("1.80.0"));
    assert!(!ok, "{text}");
    assert!(
        text.contains("Rust 1.80.0 is older than the course's minimum 1.88"),
        "{text}"
    );
    assert!(text.contains("rustup update"), "{text}");
    assert!(!text.contains("READY"), "{text}");
}
