//! `radsurv extract`: PyRadiomics-identical features for one case or a manifest of cases.
//!
//! Single case: `--image IMG --mask MASK [--params P.yaml] [--label N] [--segment NAME]
//! [--format json|csv] [--out F]`. Batch: `--manifest M.csv [--params P.yaml] --out features.csv
//! [--jobs N] [--resume]`, manifest columns as in `radsurv_study::manifest`. Batch rows are written and flushed as each case finishes, so an interrupted run
//! loses nothing; a failing case is reported on stderr and left out, and the exit status is 1.

use anyhow::{bail, Context};
use indicatif::{ProgressBar, ProgressStyle};
use radsurv_features::{FeatureVector, Settings};
use radsurv_study::batch::{self, BatchOptions};
use radsurv_study::manifest::{read_manifest, ManifestEntry};
use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;

/// Output format of a single-case extraction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One JSON object mapping feature name to value.
    Json,
    /// A header row and one value row.
    Csv,
}

/// Arguments of `radsurv extract`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Image file (NRRD, NIfTI or a DICOM folder).
    #[arg(long, conflicts_with = "manifest", requires = "mask")]
    image: Option<PathBuf>,
    /// Mask (label map, or `.seg.nrrd` with `--segment`).
    #[arg(long, conflicts_with = "manifest", requires = "image")]
    mask: Option<PathBuf>,
    /// Batch mode: CSV with columns case_id, image, mask and optionally label, segment, reader.
    #[arg(long, required_unless_present = "image")]
    manifest: Option<PathBuf>,
    /// PyRadiomics parameter file (YAML), or a built-in profile by name: `seed` (what
    /// `radsurv study` uses unless its config names a file: 1 mm B-spline resampling, bin width
    /// 25) or `pyradiomics-default`. Without --params: `pyradiomics-default`, PyRadiomics' own
    /// defaults (no resampling, bin width 25), which differ from the study's `seed` profile.
    #[arg(long)]
    params: Option<PathBuf>,
    /// ROI label in the mask (overrides the parameter file).
    #[arg(long)]
    label: Option<u32>,
    /// Segment name in a `.seg.nrrd` mask.
    #[arg(long, conflicts_with = "manifest")]
    segment: Option<String>,
    /// Single-case output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Output file (single case: stdout when absent; batch: required).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Cases extracted in parallel (batch).
    #[arg(long, default_value_t = std::thread::available_parallelism().map_or(1, |n| n.get()))]
    jobs: usize,
    /// Keep the rows already in `--out` and skip their cases (batch).
    #[arg(long)]
    resume: bool,
}

/// Runs the subcommand: 0 on success, 1 when a batch finished with failed cases.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let settings = load_settings(args.params.as_deref(), args.label)?;
    match (&args.manifest, &args.image, &args.mask) {
        (Some(manifest), _, _) => run_batch(manifest, &args, settings),
        (None, Some(image), Some(mask)) => run_single(image, mask, &args, settings),
        _ => bail!("give --image and --mask, or --manifest"),
    }
}

/// Built-in profile names `--params` accepts besides a file (a file of that name wins).
const SEED_PROFILE: &str = "seed";
const DEFAULT_PROFILE: &str = "pyradiomics-default";

fn load_settings(params: Option<&Path>, label: Option<u32>) -> anyhow::Result<Settings> {
    let mut settings = match params.map(|p| (p, p.to_str())) {
        Some((p, Some(SEED_PROFILE))) if !p.exists() => {
            Settings::from_yaml_str(radsurv_study::config::SEED_PARAMS_YAML, SEED_PROFILE)?
        }
        Some((p, Some(DEFAULT_PROFILE))) if !p.exists() => Settings::default(),
        Some((p, _)) => Settings::from_params_file(p)?,
        None => Settings::default(),
    };
    for warning in &settings.warnings {
        eprintln!("warning: {warning}");
    }
    if let Some(label) = label {
        settings.label = label;
    }
    Ok(settings)
}

fn run_single(
    image: &Path,
    mask: &Path,
    args: &Args,
    settings: Settings,
) -> anyhow::Result<ExitCode> {
    let entry = ManifestEntry {
        segment: args.segment.clone(),
        ..ManifestEntry::new(image.display().to_string(), image.into(), mask.into())
    };
    let features = batch::extract_entry(&entry, &settings)?;
    let text = match args.format {
        Format::Json => {
            let map: serde_json::Map<String, serde_json::Value> = features
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::json!(v)))
                .collect();
            serde_json::to_string_pretty(&map)? + "\n"
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(features.iter().map(|(k, _)| k.as_str()))?;
            w.write_record(features.iter().map(|(_, v)| v.to_string()))?;
            String::from_utf8(w.into_inner()?)?
        }
    };
    match &args.out {
        Some(out) => {
            std::fs::write(out, text).with_context(|| format!("writing {}", out.display()))?
        }
        None => crate::output::print(&text)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn run_batch(manifest: &Path, args: &Args, settings: Settings) -> anyhow::Result<ExitCode> {
    let Some(out) = &args.out else {
        bail!("--manifest needs --out FILE.csv");
    };
    let entries = read_manifest(manifest)?;
    let with_reader = entries.iter().any(|e| e.reader.is_some());
    let mut header: Vec<String> = vec!["case_id".into()];
    if with_reader {
        header.push("reader".into());
    }
    header.extend(settings.feature_keys());
    let done = if args.resume {
        finished_cases(out, &header)?
    } else {
        HashSet::new()
    };
    let todo: Vec<ManifestEntry> = entries
        .into_iter()
        .filter(|e| !done.contains(&row_key(e)))
        .collect();
    let writer = Mutex::new(open_output(out, &header, args.resume && out.exists())?);
    let unwritten = Mutex::new(HashSet::new());
    let progress = progress_bar(todo.len());
    let options = BatchOptions {
        jobs: Some(args.jobs),
        cache: None,
    };
    let outcomes = batch::run(&todo, &settings, options, &|outcome, _| {
        let written = match &outcome.result {
            Ok(features) => write_row(&writer, &outcome.entry, with_reader, &header, features)
                .map_err(|e| crate::error_message(e.as_ref())),
            Err(e) => Err(crate::error_message(e)),
        };
        progress.inc(1);
        if let Err(message) = written {
            let id = &outcome.entry.case_id;
            progress.suspend(|| eprintln!("case {id}: error: {message}"));
            if let Ok(mut unwritten) = unwritten.lock() {
                unwritten.insert(row_key(&outcome.entry));
            }
        }
    })?;
    progress.finish_and_clear();
    let unwritten = unwritten.into_inner().unwrap_or_default();
    let failed: Vec<&str> = outcomes
        .iter()
        .filter(|o| unwritten.contains(&row_key(&o.entry)))
        .map(|o| o.entry.case_id.as_str())
        .collect();
    if failed.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "{} of {} cases failed: {}",
            failed.len(),
            todo.len(),
            failed.join(", ")
        );
        Ok(ExitCode::from(1))
    }
}

fn write_row(
    writer: &Mutex<File>,
    entry: &ManifestEntry,
    with_reader: bool,
    header: &[String],
    features: &FeatureVector,
) -> anyhow::Result<()> {
    let row = csv_row(entry, with_reader, header, features)?;
    let mut w = writer
        .lock()
        .map_err(|_| anyhow::anyhow!("output writer poisoned"))?;
    w.write_all(row.as_bytes())?;
    w.flush()?;
    Ok(())
}

fn progress_bar(len: usize) -> ProgressBar {
    let bar = ProgressBar::new(len as u64); // draws only when stderr is a terminal
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} cases, {elapsed} (eta {eta})")
    {
        bar.set_style(style);
    }
    bar
}

/// Identity of a row for `--resume`: case id plus reader.
fn row_key(entry: &ManifestEntry) -> (String, String) {
    (
        entry.case_id.clone(),
        entry.reader.clone().unwrap_or_default(),
    )
}

/// Cases already in an output file, checking that its header is the one this run writes.
fn finished_cases(out: &Path, header: &[String]) -> anyhow::Result<HashSet<(String, String)>> {
    if !out.exists() {
        return Ok(HashSet::new());
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(out)
        .with_context(|| format!("reading {}", out.display()))?;
    let existing: Vec<String> = reader.headers()?.iter().map(str::to_string).collect();
    if existing != header {
        bail!(
            "{}: its columns differ from this run's features; cannot --resume",
            out.display()
        );
    }
    let with_reader = header.get(1).is_some_and(|h| h == "reader");
    let mut done = HashSet::new();
    for record in reader.records() {
        // A row cut short by an interruption is not finished: it is extracted again.
        let Ok(record) = record else { continue };
        if record.len() == header.len() {
            let reader = if with_reader {
                record.get(1).unwrap_or("").to_string()
            } else {
                String::new()
            };
            done.insert((record.get(0).unwrap_or("").to_string(), reader));
        }
    }
    Ok(done)
}

fn open_output(out: &Path, header: &[String], append: bool) -> anyhow::Result<File> {
    if append {
        let file = OpenOptions::new().append(true).open(out)?;
        drop_partial_last_line(out, &file)?;
        return Ok(file);
    }
    let mut file = File::create(out).with_context(|| format!("creating {}", out.display()))?;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header)?;
    file.write_all(&w.into_inner()?)?;
    file.flush()?;
    Ok(file)
}

/// A run killed mid-row leaves a partial last line: cut it off so the next row starts cleanly.
fn drop_partial_last_line(path: &Path, file: &File) -> anyhow::Result<()> {
    let text = std::fs::read(path)?;
    if text.last().is_some_and(|&b| b != b'\n') {
        let keep = text.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        file.set_len(keep as u64)?;
    }
    Ok(())
}

fn csv_row(
    entry: &ManifestEntry,
    with_reader: bool,
    header: &[String],
    features: &FeatureVector,
) -> anyhow::Result<String> {
    let mut fields = vec![entry.case_id.clone()];
    if with_reader {
        fields.push(entry.reader.clone().unwrap_or_default());
    }
    fields.extend(features.iter().map(|(_, v)| v.to_string()));
    if fields.len() != header.len() {
        bail!(
            "produced {} columns, expected {}",
            fields.len(),
            header.len()
        );
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&fields)?;
    Ok(String::from_utf8(w.into_inner()?)?)
}
