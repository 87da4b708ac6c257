// Says what a first `cargo xtask` is doing. The alias in .cargo/config.toml
// runs cargo with `--quiet`, so later runs print only the tool's own output;
// but then the first build (about a minute: clap, plotters, ...) would be a
// silent wait. Cargo shows nothing a build script prints under `--quiet`, so
// this writes to the terminal itself. Build scripts run early in a build,
// and again only when this file changes or after `cargo clean`.

use std::io::Write;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let message = "cargo xtask: building the course's tool first (about a minute on \
                   2 cores, once; later runs start at once)...";
    // No terminal (CI, an autograder, Windows): nobody is waiting to be told.
    if let Ok(mut tty) = std::fs::OpenOptions::new().write(true).open("/dev/tty") {
        let _ = writeln!(tty, "{message}");
    }
}
