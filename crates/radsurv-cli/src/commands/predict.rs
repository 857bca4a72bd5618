//! `radsurv predict --model model.json --data clinical.csv [--features F.csv | --manifest M.csv]`.

use anyhow::Context;
use radsurv_study::files::spreadsheet_safe;
use radsurv_study::predict::{predict_patients, FeatureSource};
use radsurv_study::ModelFile;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `radsurv predict`.
#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["features", "manifest"])))]
pub struct Args {
    /// Model file written by `radsurv study` (`model.json`).
    #[arg(long)]
    pub model: PathBuf,
    /// Clinical CSV of the patients to score.
    #[arg(long)]
    pub data: PathBuf,
    /// Patient id column of the clinical CSV.
    #[arg(long, default_value = "id")]
    pub id_column: String,
    /// Features CSV (`case_id[,reader],<features>`), e.g. a study's `features.csv`.
    #[arg(long)]
    pub features: Option<PathBuf>,
    /// Manifest `case_id,image,mask[,reader]`: extract features now with the model's parameters.
    #[arg(long)]
    pub manifest: Option<PathBuf>,
}

/// Prints `id,rad_score,linear_predictor,risk_group,surv_<h>...,imputed` per patient
/// (`imputed`: selected features replaced by the training mean, `;`-separated); patients that
/// cannot be scored are named on stderr and the exit status is 1.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let model = ModelFile::read(&args.model).context("reading the model")?;
    let source = match (&args.features, &args.manifest) {
        (Some(f), _) => FeatureSource::Csv(f),
        (None, Some(m)) => FeatureSource::Manifest(m),
        (None, None) => anyhow::bail!("give --features or --manifest"),
    };
    let predictions = predict_patients(&model, &args.data, &args.id_column, source)
        .context("scoring patients")?;
    for warning in &predictions.warnings {
        eprintln!("warning: {warning}");
    }
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "id".to_string(),
        "rad_score".into(),
        "linear_predictor".into(),
        "risk_group".into(),
    ];
    header.extend(model.baseline.iter().map(|b| format!("surv_{}", b.key)));
    header.push("imputed".into());
    out.write_record(&header)?;
    let mut failed = 0;
    for (id, result) in predictions.patients {
        match result {
            Ok(p) => {
                if !p.imputed.is_empty() {
                    eprintln!(
                        "warning: patient {id}: no finite value for {}: replaced by the training mean",
                        p.imputed.join(", ")
                    );
                }
                let mut row = vec![
                    spreadsheet_safe(&p.id),
                    p.rad_score.to_string(),
                    p.linear_predictor.to_string(),
                    p.risk_group,
                ];
                row.extend(p.survival.iter().map(f64::to_string));
                row.push(spreadsheet_safe(&p.imputed.join(";")));
                out.write_record(&row)?;
            }
            Err(e) => {
                failed += 1;
                eprintln!("patient {id}: {e}");
            }
        }
    }
    crate::output::print(&String::from_utf8(out.into_inner()?)?)?;
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
