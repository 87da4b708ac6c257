use super::*;

fn serve_text(input: &str) -> (ExitCode, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = serve_on(input.as_bytes(), &mut out, &mut err, |request| {
        match parse_range_request(request)? {
            ("len", range) => Ok((range.end - range.start).to_string()),
            (other, _) => Err(format!("unknown command `{other}`")),
        }
    });
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

#[test]
fn serve_answers_every_request_with_one_ok_line() {
    let (code, out, err) = serve_text("len 0 10\n\nlen 5 7\n");
    assert_eq!(code, ExitCode::SUCCESS);
    assert_eq!(out, "ok 10\nok 2\n");
    assert_eq!(err, "");
}

#[test]
fn serve_stops_at_a_bad_request_with_one_error_line_and_code_2() {
    let (code, out, err) = serve_text("len 0 10\nfly 1 2\nlen 0 1\n");
    assert_eq!(code, ExitCode::from(BAD_REQUEST_EXIT));
    assert_eq!(out, "ok 10\n");
    assert_eq!(err, "error: unknown command `fly`\n");
    let (_, _, err) = serve_text("len 0\n");
    assert!(
        err.starts_with("error: expected `<command> <lo> <hi>`"),
        "{err}"
    );
}

#[test]
fn a_program_that_cannot_start_is_a_one_line_error() {
    let program = Program::new("/nonexistent/course-worker");
    let error = run_workers(&program, &["len 0 1".to_string()]).unwrap_err();
    assert_eq!(error.worker, 0);
    let text = error.to_string();
    assert!(
        text.contains("cannot start `/nonexistent/course-worker`"),
        "{text}"
    );
    assert!(!text.contains('\n'), "{text}");
}

#[test]
#[cfg(unix)]
fn a_worker_that_never_answers_is_stopped_at_the_deadline() {
    // `sleep` ignores its stdin and outlives any reasonable test.
    let program = Program::new("sleep").arg("600");
    let start = Instant::now();
    let error = run_workers_within(
        &program,
        &["x".to_string(), "y".to_string()],
        Duration::from_millis(300),
    )
    .unwrap_err();
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "the deadline was not kept: {:?}",
        start.elapsed()
    );
    assert_eq!(error.worker, 0);
    assert!(
        error.problem.contains("gave no answer within 300ms"),
        "{error}"
    );
    assert!(!error.to_string().contains('\n'), "{error}");
}

#[test]
fn a_request_must_be_one_line() {
    let program = Program::new("/nonexistent/course-worker");
    let error = run_workers(&program, &["len 0\n1".to_string()]).unwrap_err();
    assert!(error.problem.contains("one line"), "{error}");
}
