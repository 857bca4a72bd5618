//! Hostile input through the binary: panics, aborts, closed or full output, limits, and
//! results that would silently be wrong all end in a clear error (exit status 2).
#![allow(clippy::unwrap_used)] // test helpers: a failure should panic with its message

use std::process::{Command, Output, Stdio};

fn radsurv() -> Command {
    Command::new(env!("CARGO_BIN_EXE_radsurv"))
}

fn label_map() -> String {
    radsurv_testdata::data_path("pyradiomics/images/breast1_label.nrrd")
        .display()
        .to_string()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Exit status 2 and a message containing every one of `words`.
fn assert_error(output: &Output, words: &[&str]) {
    let text = stderr(output);
    assert_eq!(output.status.code(), Some(2), "{text}");
    for word in words {
        assert!(text.contains(word), "{word:?} not in: {text}");
    }
}

#[test]
fn a_panic_on_any_thread_exits_2_with_a_message() {
    let output = radsurv()
        .args(["info", &label_map()])
        .env("RADSURV_TEST_PANIC", "planted panic")
        .output()
        .unwrap();
    assert_error(&output, &["internal error", "planted panic", "bug"]);
}

#[test]
fn a_full_standard_output_is_an_error() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let output = radsurv()
        .args(["info", &label_map()])
        .stdout(full)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_error(&output, &["standard output"]);
}

#[test]
fn a_closed_standard_output_is_an_error() {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let output = radsurv()
        .args(["info", &label_map()])
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_error(&output, &["standard output"]);
}
