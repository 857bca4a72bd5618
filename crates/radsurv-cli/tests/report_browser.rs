//! The demo's report as a reader sees it: rendered by headless Chromium, with a script
//! (`browser/layout_check.js`) that lists every figure mark outside its axes or canvas, every
//! clipped text, every table column its header promises but leaves empty, and every network
//! request. Chromium is Debian's `chromium` package; `.ci/run` installs it and sets
//! `RADSURV_REQUIRE_CHROMIUM=1`, elsewhere the test is skipped when no browser is found.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test: a failure panics with its message

use std::path::{Path, PathBuf};
use std::process::Command;

const CHECK_JS: &str = include_str!("browser/layout_check.js");

/// Patients of the demo cohort: fewer than the seed's 168 keeps the debug-build run short, enough
/// for every section (both cohorts, risk groups, strata and subgroups) to have patients.
const PATIENTS: &str = "90";

#[test]
fn the_demo_report_renders_in_chromium_without_layout_faults_or_network_requests() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("RADSURV_REQUIRE_CHROMIUM").is_none(),
            "RADSURV_REQUIRE_CHROMIUM is set but no chromium is on PATH"
        );
        eprintln!("skipped: no chromium on PATH");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo");
    let demo = Command::new(env!("CARGO_BIN_EXE_radsurv"))
        .args(["demo", "--patients", PATIENTS, "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        demo.status.success(),
        "radsurv demo failed: {}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let page = with_check_script(&out.join("report.html"));
    let dom = render(&browser, &page, dir.path());
    let report = layout_report(&dom);
    assert_eq!(
        report, "OK",
        "layout problems in the demo report:\n{report}"
    );
}

fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser"].iter().find_map(|name| {
        let found = Command::new(name).arg("--version").output().ok()?;
        found.status.success().then(|| PathBuf::from(name))
    })
}

/// A copy of the report with the check script before `</body>`.
fn with_check_script(report: &Path) -> PathBuf {
    let html = std::fs::read_to_string(report).unwrap();
    let (head, tail) = html.rsplit_once("</body>").expect("report has a </body>");
    let checked = report.with_file_name("report-checked.html");
    std::fs::write(
        &checked,
        format!("{head}<script>\n{CHECK_JS}\n</script>\n</body>{tail}"),
    )
    .unwrap();
    checked
}

/// The page's DOM after load, from headless Chromium with every network path closed (as root,
/// hence no sandbox; a fresh profile).
fn render(browser: &Path, page: &Path, scratch: &Path) -> String {
    let profile = scratch.join("chromium-profile");
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--window-size=1280,2000",
            "--virtual-time-budget=5000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The text the check script left in `<pre id="layout-report">`.
fn layout_report(dom: &str) -> String {
    let start = dom
        .rfind("<pre id=\"layout-report\">")
        .map(|k| k + "<pre id=\"layout-report\">".len())
        .unwrap_or_else(|| {
            panic!(
                "the check script did not run; DOM ends with {:?}",
                tail(dom)
            )
        });
    let end = dom[start..].find("</pre>").map_or(dom.len(), |k| start + k);
    dom[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

fn tail(s: &str) -> &str {
    let k = s.char_indices().rev().nth(300).map_or(0, |(k, _)| k);
    &s[k..]
}
