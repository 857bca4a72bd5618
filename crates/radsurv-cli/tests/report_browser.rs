//! The reports as a reader sees them: `radsurv demo`'s, and `radsurv study examples/study.yaml`'s
//! on the demo's synthetic cohort (the user's path), each rendered by headless Chromium with a
//! script (`browser/layout_check.js`) that lists every figure mark outside its axes or canvas,
//! every clipped text, every table column its header promises but leaves empty, and every network
//! request. Chromium is Debian's `chromium` package; `.ci/run` installs it and sets
//! `RADSURV_REQUIRE_CHROMIUM=1`, elsewhere the test is skipped when no browser is found.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test: a failure panics with its message

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use radsurv_report::study::{FIGURE_IDS, SECTIONS};

const CHECK_JS: &str = include_str!("browser/layout_check.js");
const EXAMPLE_CONFIG: &str = include_str!("../../../examples/study.yaml");

/// Patients of the demo cohort: fewer than the seed's 168 keeps the debug-build run short, enough
/// for every section (both cohorts, risk groups, strata and subgroups) to have patients.
const PATIENTS: &str = "90";

/// Sections every study's report has, whatever the cohort (a demo's adds its own).
const STUDY_SECTIONS: [&str; 11] = [
    "sec-cohort",
    "sec-clinical",
    "sec-selection",
    "sec-performance",
    "sec-nomogram",
    "sec-risk-groups",
    "sec-six-and-twelve",
    "sec-subgroups",
    "sec-calculator",
    "sec-methods",
    "sec-tripod",
];

#[test]
fn demo_and_study_reports_render_in_chromium_without_layout_faults_or_network_requests() {
    let browser = chromium();
    if browser.is_none() {
        assert!(
            std::env::var_os("RADSURV_REQUIRE_CHROMIUM").is_none(),
            "RADSURV_REQUIRE_CHROMIUM is set but no chromium is on PATH"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo");
    succeeds(
        "radsurv demo",
        &radsurv()
            .args(["demo", "--patients", PATIENTS, "--out"])
            .arg(&demo)
            .output()
            .unwrap(),
    );
    let study = run_example_study(&demo, &dir.path().join("study"));

    let demo_html = std::fs::read_to_string(demo.join("report.html")).unwrap();
    for id in SECTIONS.iter().map(|s| s.id) {
        assert!(has_section(&demo_html, id), "demo report lacks {id}");
    }
    let study_html = std::fs::read_to_string(study.join("report.html")).unwrap();
    for id in STUDY_SECTIONS {
        assert!(has_section(&study_html, id), "study report lacks {id}");
    }
    assert!(
        !has_section(&study_html, "sec-seed-study"),
        "a study on a user's cohort compares itself with the seed study"
    );
    for id in FIGURE_IDS {
        for ext in ["svg", "png"] {
            let figure = study.join("figures").join(format!("{id}.{ext}"));
            assert!(figure.is_file(), "study wrote no {}", figure.display());
        }
    }

    let Some(browser) = browser else {
        eprintln!("layout not checked: no chromium on PATH");
        return;
    };
    for (name, report) in [("demo", &demo), ("study", &study)] {
        let page = with_check_script(&report.join("report.html"));
        let dom = render(&browser, &page, dir.path());
        let problems = layout_report(&dom);
        assert_eq!(
            problems, "OK",
            "layout problems in the {name} report:\n{problems}"
        );
    }
}

fn radsurv() -> Command {
    Command::new(env!("CARGO_BIN_EXE_radsurv"))
}

fn succeeds(what: &str, output: &Output) {
    assert!(
        output.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `radsurv study` with the example config on the demo's cohort, as the config's header says to
/// run it; the demo's feature cache stands in for a second extraction.
fn run_example_study(demo: &Path, out: &Path) -> PathBuf {
    let config = demo.join("cohort").join("study.yaml");
    std::fs::write(&config, EXAMPLE_CONFIG).unwrap();
    copy_dir(&demo.join("cache"), &out.join("cache"));
    succeeds(
        "radsurv study",
        &radsurv()
            .arg("study")
            .arg(&config)
            .arg("--out")
            .arg(out)
            .arg("--force") // the folder already holds the copied cache
            .output()
            .unwrap(),
    );
    out.to_path_buf()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

fn has_section(html: &str, id: &str) -> bool {
    html.contains(&format!("<section id=\"{id}\">"))
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
