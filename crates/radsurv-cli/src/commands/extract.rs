//! `radsurv extract`: PyRadiomics-identical features for one case or a manifest of cases.
//!
//! Single case: `--image IMG --mask MASK [--params P.yaml] [--label N] [--segment NAME]
//! [--all-rois] [--format json|csv] [--out F]`. Batch: `--manifest M.csv [--params P.yaml] --out features.csv
//! [--all-rois] [--jobs N] [--resume]`, manifest columns as in `radsurv_study::manifest`. Batch rows are written and flushed as each case finishes, so an interrupted run
//! loses nothing; a failing case is reported on stderr and left out, and the exit status is 1.

use anyhow::{bail, Context};
use indicatif::{ProgressBar, ProgressStyle};
use radsurv_features::{FeatureVector, Settings};
use radsurv_image::regions::{Image, MaskFile, Region};
use radsurv_study::batch::{self, BatchOptions};
use radsurv_study::feature_table::{self, KeyColumns, RowKey};
use radsurv_study::files::spreadsheet_safe;
use radsurv_study::manifest::{read_manifest, ManifestEntry};
use std::collections::{HashMap, HashSet};
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
    /// Mask: label map, `.seg.nrrd`, DICOM RTSTRUCT or DICOM-SEG.
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
    /// ROI label in the mask (overrides the parameter file); 0 is the background, not a label.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    label: Option<u32>,
    /// Segment or ROI (name or number) of a `.seg.nrrd`, RTSTRUCT or SEG mask; required when
    /// the file holds several.
    #[arg(long, visible_alias = "roi", conflicts_with = "manifest")]
    segment: Option<String>,
    /// Every ROI of the mask (label map: every label), one row each with `roi` and `label`
    /// columns.
    #[arg(long, conflicts_with_all = ["segment", "label"])]
    all_rois: bool,
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
    let (settings, params_text) = load_settings(args.params.as_deref(), args.label)?;
    match (&args.manifest, &args.image, &args.mask) {
        (Some(manifest), _, _) => run_batch(manifest, &args, settings, &params_text),
        (None, Some(image), Some(mask)) => {
            let inputs = [image.as_path(), mask.as_path()];
            if let Some(out) = &args.out {
                crate::output::refuse_overwriting_inputs(out, &inputs, args.params.as_deref())?;
            }
            run_single(image, mask, &args, settings)
                .with_context(|| format!("image {}, mask {}", image.display(), mask.display()))
        }
        _ => bail!("give --image and --mask, or --manifest"),
    }
}

/// Built-in profile names `--params` accepts besides a file (a file of that name wins).
const SEED_PROFILE: &str = "seed";
const DEFAULT_PROFILE: &str = "pyradiomics-default";

/// The settings of this run and the parameter text they come from (recorded beside a batch's
/// output); `--label` is written into that text, so the record holds the label extracted.
fn load_settings(params: Option<&Path>, label: Option<u32>) -> anyhow::Result<(Settings, String)> {
    let (text, source) = match params.map(|p| (p, p.to_str())) {
        Some((p, Some(SEED_PROFILE))) if !p.exists() => (
            radsurv_study::config::SEED_PARAMS_YAML.to_string(),
            SEED_PROFILE.to_string(),
        ),
        Some((p, Some(DEFAULT_PROFILE))) if !p.exists() => {
            (DEFAULT_PARAMS_YAML.to_string(), DEFAULT_PROFILE.to_string())
        }
        Some((p, _)) => (
            std::fs::read_to_string(p)
                .with_context(|| format!("reading the parameter file {}", p.display()))?,
            p.display().to_string(),
        ),
        None => (DEFAULT_PARAMS_YAML.to_string(), DEFAULT_PROFILE.to_string()),
    };
    let text = match label {
        Some(label) => Settings::params_text_with_label(&text, &source, label)?,
        None => text,
    };
    let settings = Settings::from_yaml_str(&text, &source)?;
    for warning in &settings.warnings {
        eprintln!("warning: {warning}");
    }
    Ok((settings, text))
}

/// PyRadiomics' defaults as a parameter file: an empty mapping.
const DEFAULT_PARAMS_YAML: &str = "{}\n";

fn run_single(
    image: &Path,
    mask: &Path,
    args: &Args,
    settings: Settings,
) -> anyhow::Result<ExitCode> {
    if args.all_rois {
        return run_all_rois(image, mask, args, &settings);
    }
    let entry = ManifestEntry {
        segment: args.segment.clone(),
        ..ManifestEntry::new(image.display().to_string(), image.into(), mask.into())
    };
    let features = batch::extract_entry(&entry, &settings)?;
    let keys = settings.feature_keys();
    if let Some(reason) =
        feature_table::keys_mismatch(&keys, features.iter().map(|(name, _)| name.as_str()))
    {
        eprintln!("warning: {reason}");
    }
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
    write_text(args.out.as_deref(), text)?;
    Ok(ExitCode::SUCCESS)
}

/// One row per region of the mask, each with its `roi` name and `label` number.
fn run_all_rois(
    image: &Path,
    mask: &Path,
    args: &Args,
    settings: &Settings,
) -> anyhow::Result<ExitCode> {
    let image = Image::read(image)?;
    let file = MaskFile::open(mask)?;
    let regions = file.regions();
    if regions.is_empty() {
        bail!("{}: holds no ROI, segment or label", mask.display());
    }
    let mut rows = Vec::with_capacity(regions.len());
    for region in &regions {
        let region_mask = file.mask(region, &image)?;
        let features = batch::extract_region(&image, &region_mask, settings)
            .with_context(|| format!("ROI {:?} (number {})", region.name, region.number))?;
        rows.push((region, features));
    }
    let text = match args.format {
        Format::Json => {
            let list: Vec<serde_json::Value> = rows
                .iter()
                .map(|(region, features)| {
                    let mut map = serde_json::Map::new();
                    map.insert("roi".into(), serde_json::json!(region.name));
                    map.insert("label".into(), serde_json::json!(region.number));
                    for (k, v) in features {
                        map.insert(k.clone(), serde_json::json!(v));
                    }
                    serde_json::Value::Object(map)
                })
                .collect();
            serde_json::to_string_pretty(&list)? + "\n"
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            let names = rows[0].1.iter().map(|(k, _)| k.as_str());
            w.write_record(["roi", "label"].into_iter().chain(names))?;
            for (region, features) in &rows {
                let values = features.iter().map(|(_, v)| v.to_string());
                w.write_record(
                    [spreadsheet_safe(&region.name), region.number.to_string()]
                        .into_iter()
                        .chain(values),
                )?;
            }
            String::from_utf8(w.into_inner()?)?
        }
    };
    write_text(args.out.as_deref(), text)?;
    Ok(ExitCode::SUCCESS)
}

fn write_text(out: Option<&Path>, text: String) -> anyhow::Result<()> {
    match out {
        Some(out) => Ok(radsurv_study::files::write_atomically(
            out,
            text.as_bytes(),
        )?),
        None => crate::output::print(&text),
    }
}

fn run_batch(
    manifest: &Path,
    args: &Args,
    settings: Settings,
    params_text: &str,
) -> anyhow::Result<ExitCode> {
    let Some(out) = &args.out else {
        bail!("--manifest needs --out FILE.csv");
    };
    let entries = read_manifest(manifest)?;
    let mut inputs = vec![manifest];
    inputs.extend(
        entries
            .iter()
            .flat_map(|e| [e.image.as_path(), e.mask.as_path()]),
    );
    crate::output::refuse_overwriting_inputs(out, &inputs, args.params.as_deref())?;
    let columns = KeyColumns::for_entries(&entries, args.all_rois);
    let header = feature_table::header(settings.feature_keys(), columns);
    let (entries, regions, mut failed) = if args.all_rois {
        expand_regions(&entries)
    } else {
        (entries, HashMap::new(), Vec::new())
    };
    let resuming = args.resume && out.exists();
    let done = if resuming {
        check_same_parameters(out, params_text)?;
        finished_cases(out, &header)?
    } else {
        let beside = batch::params_file_beside(out);
        radsurv_study::files::write_atomically(&beside, params_text.as_bytes())?;
        HashSet::new()
    };
    let todo: Vec<ManifestEntry> = entries
        .into_iter()
        .filter(|e| !done.contains(&row_key(e, args.all_rois)))
        .collect();
    if resuming {
        let keys = todo.iter().map(|e| row_key(e, args.all_rois)).collect();
        check_partial_row_is_redone(out, &header, &keys)?;
    }
    let writer = Mutex::new(open_output(out, &header, resuming)?);
    let unwritten = Mutex::new(HashSet::new());
    let progress = progress_bar(todo.len());
    let options = BatchOptions {
        jobs: Some(args.jobs),
        cache: None,
    };
    let outcomes = batch::run(&todo, &settings, options, &|outcome, _| {
        let key = row_key(&outcome.entry, args.all_rois);
        let row = Row {
            entry: &outcome.entry,
            columns,
            region: regions.get(&key),
        };
        let written = match &outcome.result {
            Ok(features) => write_row(&writer, &row, &header, features)
                .map_err(|e| crate::error_message(e.as_ref())),
            Err(e) => Err(crate::error_message(e)),
        };
        progress.inc(1);
        if let Err(message) = written {
            let id = &outcome.entry.case_id;
            progress.suspend(|| eprintln!("case {id}: error: {message}"));
            if let Ok(mut unwritten) = unwritten.lock() {
                unwritten.insert(key);
            }
        }
    })?;
    progress.finish_and_clear();
    let unlisted = failed.len();
    let unwritten = unwritten.into_inner().unwrap_or_default();
    failed.extend(
        outcomes
            .iter()
            .filter(|o| unwritten.contains(&row_key(&o.entry, args.all_rois)))
            .map(|o| o.entry.case_id.clone()),
    );
    if failed.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "{} of {} cases failed: {}",
            failed.len(),
            todo.len() + unlisted,
            failed.join(", ")
        );
        Ok(ExitCode::from(1))
    }
}

/// Identity of a row for `--resume`: case id, reader, and the region when every ROI is extracted.
type RowId = (String, String, String);

/// Every entry expanded to one per region of its mask, the region of each row, and the cases
/// whose mask could not be listed (reported here, counted as failed).
fn expand_regions(
    entries: &[ManifestEntry],
) -> (Vec<ManifestEntry>, HashMap<RowId, Region>, Vec<String>) {
    let mut expanded = Vec::new();
    let mut regions = HashMap::new();
    let mut failed = Vec::new();
    for entry in entries {
        match batch::region_entries(entry) {
            Ok(list) => {
                for (region, one) in list {
                    regions.insert(row_key(&one, true), region);
                    expanded.push(one);
                }
            }
            Err(e) => {
                eprintln!(
                    "case {}: error: {}",
                    entry.case_id,
                    crate::error_message(&e)
                );
                failed.push(entry.case_id.clone());
            }
        }
    }
    (expanded, regions, failed)
}

/// What a batch row is written from.
struct Row<'a> {
    entry: &'a ManifestEntry,
    columns: KeyColumns,
    region: Option<&'a Region>,
}

fn write_row(
    writer: &Mutex<File>,
    row: &Row<'_>,
    header: &[String],
    features: &FeatureVector,
) -> anyhow::Result<()> {
    let row = csv_row(row, header, features)?;
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

fn row_key(entry: &ManifestEntry, all_rois: bool) -> RowId {
    let region = if all_rois {
        entry
            .segment
            .clone()
            .or_else(|| entry.label.map(|l| l.to_string()))
            .unwrap_or_default()
    } else {
        String::new()
    };
    (
        entry.case_id.clone(),
        entry.reader.clone().unwrap_or_default(),
        region,
    )
}

/// Refuses to resume an output whose rows were extracted with other parameters than this
/// run's (recorded beside it), or whose parameters are not recorded.
fn check_same_parameters(out: &Path, params_text: &str) -> anyhow::Result<()> {
    let beside = batch::params_file_beside(out);
    let this_run = Settings::from_yaml_str(params_text, "--params")?;
    match batch::recorded_settings(out)? {
        Some(recorded) if batch::same_extraction(&recorded, &this_run) => Ok(()),
        Some(_) => bail!(
            "{}: its rows were extracted with other parameters ({}) than this run's; cannot \
             --resume (extract into a new file, or resume with those parameters)",
            out.display(),
            beside.display()
        ),
        None => bail!(
            "{}: no {} records the parameters its rows were extracted with; cannot --resume \
             (extract again without --resume)",
            out.display(),
            beside.display()
        ),
    }
}

/// Rows already in an output file, checking that its header is the one this run writes. A last
/// line without its newline may have been cut short by an interruption, even when it has every
/// column: it is not finished, so its case is extracted again (and the line replaced).
fn finished_cases(out: &Path, header: &[String]) -> anyhow::Result<HashSet<RowId>> {
    let text = std::fs::read(out).with_context(|| format!("reading {}", out.display()))?;
    let complete = text.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(&text[..complete]);
    let existing: Vec<String> = reader.headers()?.iter().map(str::to_string).collect();
    if existing != header {
        bail!(
            "{}: its columns differ from this run's features; cannot --resume",
            out.display()
        );
    }
    let mut done = HashSet::new();
    for record in reader.records() {
        let Ok(record) = record else { continue };
        if record.len() == header.len() {
            done.insert(row_id(&record, header));
        }
    }
    Ok(done)
}

/// The identity of a row of an output with this header (cells it lacks read as empty).
fn row_id(record: &csv::StringRecord, header: &[String]) -> RowId {
    let field = |name: &str| {
        let cell = header
            .iter()
            .position(|h| h == name)
            .and_then(|c| record.get(c))
            .unwrap_or("");
        feature_table::key_text(cell).to_string()
    };
    let case = record.get(0).map(feature_table::key_text).unwrap_or("");
    (case.to_string(), field("reader"), field("roi"))
}

/// A last line without its newline is replaced by its case's new row (see [`finished_cases`]).
/// When this run will not extract that case again (the manifest no longer lists it), replacing
/// the line would lose the row, so the run stops and says how to keep or drop it.
fn check_partial_row_is_redone(
    out: &Path,
    header: &[String],
    todo: &HashSet<RowId>,
) -> anyhow::Result<()> {
    let text = std::fs::read(out).with_context(|| format!("reading {}", out.display()))?;
    let start = text.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let partial = &text[start..];
    if partial.is_empty() {
        return Ok(());
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(partial);
    let id = match reader.records().next() {
        Some(Ok(record)) => row_id(&record, header),
        _ => (String::new(), String::new(), String::new()),
    };
    if todo.contains(&id) {
        return Ok(());
    }
    bail!(
        "{}: its last line (case {:?}) has no newline, so it may be cut short and --resume would \
         replace it with its case's new row, but this run does not extract that case; end the \
         line with a newline to keep it, or delete it, then --resume again",
        out.display(),
        id.0
    )
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

/// A run killed mid-row may leave a last line without its newline: [`finished_cases`] does not
/// count it, so it is cut off here and its case's new row replaces it.
fn drop_partial_last_line(path: &Path, file: &File) -> anyhow::Result<()> {
    let text = std::fs::read(path)?;
    if text.last().is_some_and(|&b| b != b'\n') {
        let keep = text.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        file.set_len(keep as u64)?;
    }
    Ok(())
}

fn csv_row(row: &Row<'_>, header: &[String], features: &FeatureVector) -> anyhow::Result<String> {
    let key = RowKey {
        case_id: &row.entry.case_id,
        reader: row.entry.reader.as_deref(),
        region: row.region.map(|r| (r.name.as_str(), r.number)),
    };
    let feature_keys = &header[feature_table::header(Vec::new(), row.columns).len()..];
    if let Some(reason) =
        feature_table::keys_mismatch(feature_keys, features.iter().map(|(name, _)| name.as_str()))
    {
        bail!("{reason}");
    }
    let fields = feature_table::fields(&key, row.columns, features.iter().map(|(_, v)| *v));
    Ok(feature_table::csv_record(&fields)?)
}
