//! `run_study`: the whole seed analysis from a config, writing the study folder.
//!
//! Steps (as the seed's Methods): load cohort → extract features for both readers
//! (parallel, cached) → ICC filter → invalid-feature removal, mean imputation, z-score (training)
//! → Spearman filter (training) → LASSO-Cox CV (training) → rad-score → univariable Cox →
//! multivariable clinical model → radiomics model → combined model → Six-and-twelve → evaluation
//! of every model in both cohorts → paired C comparisons → subgroups → Table 1 → outputs.

use crate::batch::{self, BatchOptions, CaseFeatures, CaseOutcome, FeatureCache};
use crate::cohort::Cohort;
use crate::config::{StudyConfig, SEED_PARAMS_YAML};
use crate::decisions::Decisions;
use crate::error::{Result, StudyError};
use crate::evaluation::{self, CohortData};
use crate::manifest::{self, ManifestEntry};
use crate::model_file::{BaselinePoint, ModelFeature, ModelFile};
use crate::models::{self, FittedModel};
use crate::results::*;
use crate::selection::{self, FeatureColumns, Standardiser};
use crate::{outputs, stat, table1};
use radsurv_stats::{Design, SurvData};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Progress of a study run, for a progress display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// A pipeline step started (`index` of `total`, 1-based).
    Step {
        /// Step number.
        index: usize,
        /// Number of steps.
        total: usize,
        /// What the step does.
        name: &'static str,
    },
    /// Feature extraction finished `done` of `total` image/mask pairs.
    Extraction {
        /// Pairs finished.
        done: usize,
        /// Pairs in total.
        total: usize,
    },
}

const STEPS: [&str; 8] = [
    "loading cohort",
    "extracting features",
    "ICC, imputation and z-score",
    "Spearman filter and LASSO-Cox",
    "clinical, radiomics and combined models",
    "evaluating models",
    "Table 1 and subgroups",
    "writing results",
];

/// Runs the study and writes `results.json`, `features.csv`, `tables/*.csv`, `model.json`,
/// `decisions.log` and `config.yaml` into `out_dir`.
///
/// Cases whose extraction fails are excluded, listed in `results.extraction.failed` and the log.
///
/// # Errors
/// Any [`StudyError`]: config, clinical data, a pipeline step that cannot proceed, or writing.
pub fn run_study(
    config: &StudyConfig,
    out_dir: &Path,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<StudyResults> {
    let step = |i: usize| {
        progress(Progress::Step {
            index: i + 1,
            total: STEPS.len(),
            name: STEPS[i],
        })
    };
    let mut log = Decisions::default();
    std::fs::create_dir_all(out_dir).map_err(|e| StudyError::io(out_dir, e))?;

    step(0);
    let cohort = Cohort::load(config)?;
    for line in &cohort.imputations {
        log.note("clinical data", line);
    }
    let entries = manifest::read_manifest(&config.resolve(&config.manifest))?;
    let (primary_reader, secondary_reader) = choose_readers(&entries, config, &mut log)?;
    let params_yaml = match &config.extraction.params {
        Some(p) => {
            let path = config.resolve(p);
            std::fs::read_to_string(&path).map_err(|e| StudyError::io(path, e))?
        }
        None => SEED_PARAMS_YAML.to_string(),
    };
    let settings = radsurv_features::Settings::from_yaml_str(&params_yaml, "extraction.params")
        .map_err(|e| StudyError::config("extraction.params", e.to_string()))?;

    step(1);
    let wanted: Vec<ManifestEntry> = entries
        .iter()
        .filter(|e| cohort.patients.iter().any(|p| p.id == e.case_id))
        .filter(|e| e.reader() == primary_reader || Some(e.reader()) == secondary_reader.as_deref())
        .cloned()
        .collect();
    let cache_dir = config
        .extraction
        .cache_dir
        .as_ref()
        .map_or_else(|| out_dir.join("cache"), |d| config.resolve(d));
    let options = BatchOptions {
        jobs: None,
        cache: Some(FeatureCache {
            dir: &cache_dir,
            params_text: &params_yaml,
        }),
    };
    let outcomes = batch::run(&wanted, &settings, options, &|_, p| {
        progress(Progress::Extraction {
            done: p.done,
            total: p.total,
        })
    })?;
    let extracted = collect_features(
        &outcomes,
        &primary_reader,
        secondary_reader.as_deref(),
        &mut log,
    )?;

    let analysed_rows: Vec<usize> = (0..cohort.patients.len())
        .filter(|&i| extracted.primary.contains_key(&cohort.patients[i].id))
        .collect();
    let mut excluded = BTreeMap::<CohortName, Vec<String>>::new();
    for p in &cohort.patients {
        if !extracted.primary.contains_key(&p.id) {
            excluded.entry(p.cohort).or_default().push(p.id.clone());
            log.note(
                "cohort",
                format!(
                    "patient {} excluded: no features from reader {primary_reader}",
                    p.id
                ),
            );
        }
    }
    let cohort = cohort.subset(&analysed_rows);
    let training = cohort.rows_of(CohortName::Training);
    let validation = cohort.rows_of(CohortName::Validation);
    let names = extracted.names.clone();
    let primary = feature_columns(&cohort, &extracted.primary, &names);

    step(2);
    let icc_ids: Vec<String> = cohort
        .patients
        .iter()
        .map(|p| p.id.clone())
        .filter(|id| extracted.secondary.contains_key(id))
        .collect();
    let (icc_rows, icc_kept) = if icc_ids.len() >= 3 {
        let a = columns_for_ids(&extracted.primary, &icc_ids, &names);
        let b = columns_for_ids(&extracted.secondary, &icc_ids, &names);
        selection::icc_filter(&a, &b, config)?
    } else {
        log.note(
            "ICC",
            format!(
                "only {} patients have both readers: ICC filter skipped",
                icc_ids.len()
            ),
        );
        (Vec::new(), names.clone())
    };
    for row in icc_rows.iter().filter(|r| !r.kept) {
        log.note(
            "ICC",
            format!(
                "{} dropped: ICC {} < {}",
                row.feature,
                fmt_opt(row.icc),
                config.icc.threshold
            ),
        );
    }
    let (standardiser, invalid) = Standardiser::fit(&primary.select(&icc_kept), &training)?;
    for d in &invalid {
        log.note(
            "invalid features",
            format!("{} dropped: {}", d.feature, d.reason),
        );
    }
    let z = standardiser.apply(&primary);

    step(3);
    let surv_all = surv_of(&cohort)?;
    let train_surv = surv_all.subset(&training);
    let z_train = z.rows(&training);
    let cox_strength = |j: usize| -> Result<f64> {
        let design = Design::new(
            vec![z_train.names[j].clone()],
            vec![z_train.columns[j].clone()],
        )
        .map_err(StudyError::stats("univariable Cox of a feature"))?;
        let fit = radsurv_stats::cox::fit(&train_surv, &design, &models::cox_options())
            .map_err(StudyError::stats("univariable Cox of a feature"))?;
        Ok(fit.coefficients()[0].z.abs())
    };
    let (spearman_kept, spearman_dropped) =
        selection::spearman_filter(&z_train, config, &cox_strength)?;
    for d in &spearman_dropped {
        log.note(
            "Spearman",
            format!(
                "{} dropped: |rho| = {:.3} with {} (kept)",
                d.feature,
                d.rho.abs(),
                d.kept
            ),
        );
    }
    let candidates = z.select(&spearman_kept);
    let train_design = Design::new(candidates.names.clone(), candidates.rows(&training).columns)
        .map_err(StudyError::stats("LASSO design"))?;
    let (lasso, beta) = stat::lasso_cv(&train_design, &train_surv, &config.lasso)?;
    log.note(
        "LASSO-Cox",
        format!(
            "λ.{} = {} chosen (λ.min = {}, λ.1se = {})",
            lasso.chosen, lasso.lambda_chosen, lasso.lambda_min, lasso.lambda_1se
        ),
    );
    if let Some(lambda) = lasso.path_truncated_at {
        log.note(
            "LASSO-Cox",
            format!("the λ path ends before λ = {lambda}: the solver did not converge there"),
        );
    }
    let selected_features: Vec<SelectedFeature> = candidates
        .names
        .iter()
        .zip(&beta)
        .filter(|(_, b)| **b != 0.0)
        .map(|(name, b)| {
            let k = standardiser
                .names
                .iter()
                .position(|n| n == name)
                .unwrap_or(0);
            SelectedFeature {
                name: name.clone(),
                coefficient: *b,
                mean: standardiser.means[k],
                sd: standardiser.sds[k],
            }
        })
        .collect();
    if selected_features.is_empty() {
        return Err(StudyError::degenerate(
            "LASSO-Cox",
            format!(
                "no feature has a non-zero coefficient at λ.{}; try `lasso.lambda: min`",
                lasso.chosen
            ),
        ));
    }
    for f in &selected_features {
        log.note(
            "LASSO-Cox",
            format!("{} selected, coefficient {}", f.name, f.coefficient),
        );
    }
    let full_design =
        Design::new_unchecked_variation(candidates.names.clone(), candidates.columns.clone())
            .map_err(StudyError::stats("rad-score"))?;
    let rad_score = radsurv_stats::coxnet::linear_predictor(&full_design, &beta);

    step(4);
    let horizons = config.horizons();
    let screening = models::screen_clinical(
        &cohort,
        &training,
        &train_surv,
        config.clinical_model.screening_p,
        &mut log,
    )?;
    let clinical_columns: Vec<_> = screening
        .screened
        .iter()
        .flat_map(|n| cohort.design_columns(n))
        .collect();
    let clinical = models::fit_model(
        ModelKey::Clinical,
        "Clinical",
        &cohort,
        clinical_columns.clone(),
        None,
        &training,
        &train_surv,
        &horizons,
    )?;
    let radiomics = models::fit_model(
        ModelKey::Radiomics,
        "Radiomics",
        &cohort,
        Vec::new(),
        Some(&rad_score),
        &training,
        &train_surv,
        &horizons,
    )?;
    let combined = models::fit_model(
        ModelKey::Combined,
        "Clinical-radiomics",
        &cohort,
        clinical_columns,
        Some(&rad_score),
        &training,
        &train_surv,
        &horizons,
    )?;
    let six = models::six_and_twelve(&cohort, &training, &train_surv, &horizons)?;

    step(5);
    let cohorts = ByCohort {
        training: CohortData {
            name: CohortName::Training,
            surv: train_surv.clone(),
            rows: training.clone(),
        },
        validation: CohortData {
            name: CohortName::Validation,
            surv: surv_all.subset(&validation),
            rows: validation.clone(),
        },
    };
    let evaluated = Models {
        clinical: evaluation::evaluate(&clinical, &cohorts, config, &mut log)?,
        radiomics: evaluation::evaluate(&radiomics, &cohorts, config, &mut log)?,
        combined: evaluation::evaluate(&combined, &cohorts, config, &mut log)?,
        six_and_twelve: evaluation::evaluate(&six, &cohorts, config, &mut log)?,
    };
    let c_comparisons = compare_c(&combined, &[&clinical, &radiomics, &six], &cohorts, config)?;
    let six_and_twelve_strata = strata(&six, &cohorts, config)?;

    step(6);
    let threshold = evaluated.combined.risk_groups.threshold;
    let subgroups = subgroup_results(&cohort, &combined, threshold, &cohorts, config)?;
    let table1 = table1::table1(&cohort, config).or_else(|e| {
        log.note("Table 1", format!("not computed: {e}"));
        Ok::<_, StudyError>(Vec::new())
    })?;

    step(7);
    let results = StudyResults {
        software: SoftwareInfo::current(),
        choices: config.choices(),
        cohorts: Cohorts {
            training: cohort_summary(
                &cohort,
                &cohorts.training,
                excluded.remove(&CohortName::Training),
                config,
            ),
            validation: cohort_summary(
                &cohort,
                &cohorts.validation,
                excluded.remove(&CohortName::Validation),
                config,
            ),
        },
        extraction: ExtractionSummary {
            params_sha256: batch::sha256_hex(&params_yaml),
            params_yaml: params_yaml.clone(),
            cases: outcomes.len(),
            cached: outcomes.iter().filter(|o| o.cached).count(),
            failed: extracted.failed.clone(),
            icc_cases: icc_ids.len(),
            features_per_case: names.len(),
        },
        selection: SelectionFunnel {
            extracted: names.len(),
            after_icc: icc_kept.len(),
            after_invalid: standardiser.names.len(),
            after_spearman: spearman_kept.len(),
            selected: selected_features.len(),
            icc: icc_rows,
            invalid,
            spearman_dropped,
        },
        rad_score_formula: rad_score_formula(&selected_features),
        lasso,
        selected_features,
        univariable: screening.univariable,
        multivariable: evaluated.clinical.coefficients.clone(),
        risk_groups: evaluated.combined.risk_groups.clone(),
        models: evaluated,
        six_and_twelve_strata,
        c_comparisons,
        subgroups,
        table1,
        nomogram: nomogram_of(&combined, &cohort, &rad_score, &training, config, &mut log),
        patients: patient_scores(
            &cohort,
            &rad_score,
            [&clinical, &radiomics, &combined, &six],
            threshold,
            config,
        ),
    };
    let model = model_file(&results, &combined, &params_yaml, &primary_reader, config);
    outputs::write_all(
        out_dir,
        config,
        &results,
        &model,
        &extracted.all,
        &names,
        &log,
    )?;
    Ok(results)
}

/// The features that came out of extraction, by reader and patient.
struct Extracted {
    names: Vec<String>,
    primary: BTreeMap<String, CaseFeatures>,
    secondary: BTreeMap<String, CaseFeatures>,
    all: Vec<CaseFeatures>,
    failed: Vec<FailedCase>,
}

fn collect_features(
    outcomes: &[CaseOutcome],
    primary: &str,
    secondary: Option<&str>,
    log: &mut Decisions,
) -> Result<Extracted> {
    let mut out = Extracted {
        names: Vec::new(),
        primary: BTreeMap::new(),
        secondary: BTreeMap::new(),
        all: Vec::new(),
        failed: Vec::new(),
    };
    for o in outcomes {
        let failure = match o.case_features() {
            Ok(f) if out.names.is_empty() || f.names == out.names => {
                if out.names.is_empty() {
                    out.names = f.names.clone();
                }
                let target = if o.entry.reader() == primary {
                    &mut out.primary
                } else {
                    &mut out.secondary
                };
                target.insert(o.entry.case_id.clone(), f.clone());
                out.all.push(f);
                None
            }
            Ok(_) => Some("feature names differ from the other cases".to_string()),
            Err(e) => Some(e.to_string()),
        };
        if let Some(error) = failure {
            log.note(
                "extraction",
                format!(
                    "case {} reader {} failed: {error}",
                    o.entry.case_id,
                    o.entry.reader()
                ),
            );
            out.failed.push(FailedCase {
                case_id: o.entry.case_id.clone(),
                reader: o.entry.reader().to_string(),
                error,
            });
        }
    }
    if out.primary.is_empty() {
        return Err(StudyError::degenerate(
            "feature extraction",
            "no case of the primary reader was extracted",
        ));
    }
    let _ = secondary;
    Ok(out)
}

fn choose_readers(
    entries: &[ManifestEntry],
    config: &StudyConfig,
    log: &mut Decisions,
) -> Result<(String, Option<String>)> {
    let readers = manifest::readers(entries);
    let primary = config
        .extraction
        .primary_reader
        .clone()
        .or_else(|| readers.first().cloned())
        .ok_or_else(|| {
            StudyError::degenerate("manifest", "the manifest lists no image/mask pair")
        })?;
    if !readers.contains(&primary) {
        return Err(StudyError::config(
            "extraction.primary_reader",
            format!("reader {primary:?} is not in the manifest (has {readers:?})"),
        ));
    }
    let secondary = config
        .extraction
        .secondary_reader
        .clone()
        .or_else(|| readers.iter().find(|r| **r != primary).cloned());
    log.note(
        "extraction",
        format!(
            "model reader {primary}, ICC reader {}",
            secondary.as_deref().unwrap_or("none")
        ),
    );
    Ok((primary, secondary))
}

fn feature_columns(
    cohort: &Cohort,
    features: &BTreeMap<String, CaseFeatures>,
    names: &[String],
) -> FeatureColumns {
    let ids: Vec<String> = cohort.patients.iter().map(|p| p.id.clone()).collect();
    columns_for_ids(features, &ids, names)
}

fn columns_for_ids(
    features: &BTreeMap<String, CaseFeatures>,
    ids: &[String],
    names: &[String],
) -> FeatureColumns {
    let columns = (0..names.len())
        .map(|j| {
            ids.iter()
                .map(|id| {
                    features
                        .get(id)
                        .and_then(|f| f.values[j])
                        .unwrap_or(f64::NAN)
                })
                .collect()
        })
        .collect();
    FeatureColumns {
        names: names.to_vec(),
        columns,
    }
}

fn surv_of(cohort: &Cohort) -> Result<SurvData> {
    let time: Vec<f64> = cohort.patients.iter().map(|p| p.time).collect();
    let status: Vec<f64> = cohort
        .patients
        .iter()
        .map(|p| f64::from(u8::from(p.event)))
        .collect();
    SurvData::new(&time, &status, "time", "event").map_err(StudyError::stats("survival data"))
}

fn fmt_opt(v: Option<f64>) -> String {
    v.map_or("undefined".into(), |v| format!("{v:.3}"))
}

fn rad_score_formula(features: &[SelectedFeature]) -> String {
    let terms: Vec<String> = features
        .iter()
        .map(|f| {
            format!(
                "{:+.6} × ({} − {:.6}) / {:.6}",
                f.coefficient, f.name, f.mean, f.sd
            )
        })
        .collect();
    format!("rad_score = {}", terms.join(" "))
}

fn compare_c(
    combined: &FittedModel,
    others: &[&FittedModel],
    cohorts: &ByCohort<CohortData>,
    config: &StudyConfig,
) -> Result<Vec<CComparison>> {
    let mut out = Vec::new();
    for c in [&cohorts.training, &cohorts.validation] {
        for other in others {
            let cmp = radsurv_stats::concordance::compare_bootstrap(
                &c.surv,
                &evaluation::pick(&combined.risk, &c.rows),
                &evaluation::pick(&other.risk, &c.rows),
                &Default::default(),
                config.bootstrap.replicates,
                config.bootstrap.seed,
            )
            .map_err(StudyError::stats("paired C comparison"))?;
            out.push(CComparison {
                cohort: c.name,
                model_a: ModelKey::Combined,
                model_b: other.key,
                difference: cmp.difference,
                lower: cmp.lower,
                upper: cmp.upper,
                p: cmp.p,
            });
        }
    }
    Ok(out)
}

fn strata(
    six: &FittedModel,
    cohorts: &ByCohort<CohortData>,
    config: &StudyConfig,
) -> Result<StrataResults> {
    let [low, high] = [
        config.six_and_twelve.cutoffs[0],
        config.six_and_twelve.cutoffs[1],
    ];
    let names = [
        format!("≤ {low}"),
        format!("> {low} and ≤ {high}"),
        format!("> {high}"),
    ];
    let level = |s: f64| {
        if s <= low {
            0
        } else if s <= high {
            1
        } else {
            2
        }
    };
    let order: Vec<&str> = names.iter().map(String::as_str).collect();
    let per = |c: &CohortData| -> Result<(GroupComparison, CIndex)> {
        let scores = evaluation::pick(&six.risk, &c.rows);
        let labels: Vec<&str> = scores.iter().map(|&s| order[level(s)]).collect();
        let stratum: Vec<f64> = scores.iter().map(|&s| level(s) as f64).collect();
        Ok((
            evaluation::compare_groups(&c.surv, &labels, &order, config)?,
            stat::harrell_c(&c.surv, &stratum)?,
        ))
    };
    let (ts, tc) = per(&cohorts.training)?;
    let (vs, vc) = per(&cohorts.validation)?;
    Ok(StrataResults {
        cutoffs: config.six_and_twelve.cutoffs.clone(),
        survival: ByCohort {
            training: ts,
            validation: vs,
        },
        c_index: ByCohort {
            training: tc,
            validation: vc,
        },
    })
}

fn subgroup_results(
    cohort: &Cohort,
    combined: &FittedModel,
    threshold: f64,
    cohorts: &ByCohort<CohortData>,
    config: &StudyConfig,
) -> Result<Vec<SubgroupResult>> {
    let mut out = Vec::new();
    for name in &config.subgroups {
        let Some(levels) = cohort.display_levels(name) else {
            continue;
        };
        let mut distinct: Vec<&String> = levels.iter().collect();
        distinct.sort();
        distinct.dedup();
        for c in [&cohorts.training, &cohorts.validation] {
            for level in &distinct {
                let rows: Vec<usize> = (0..c.rows.len())
                    .filter(|&k| &levels[c.rows[k]] == *level)
                    .collect();
                if rows.is_empty() {
                    continue;
                }
                let risk: Vec<f64> = rows.iter().map(|&k| combined.risk[c.rows[k]]).collect();
                let comparison =
                    evaluation::risk_groups(&c.surv.subset(&rows), &risk, threshold, config)?;
                out.push(SubgroupResult {
                    variable: name.clone(),
                    level: (*level).clone(),
                    cohort: c.name,
                    comparison,
                });
            }
        }
    }
    Ok(out)
}

fn nomogram_of(
    combined: &FittedModel,
    cohort: &Cohort,
    rad_score: &[f64],
    training: &[usize],
    config: &StudyConfig,
    log: &mut Decisions,
) -> Option<Nomogram> {
    let horizons: Vec<(String, f64)> = config
        .horizon_keys()
        .into_iter()
        .zip(config.horizons())
        .collect();
    let mut labels: Vec<String> = combined.columns.iter().map(|c| c.label.clone()).collect();
    labels.push("Rad-score".into());
    let built = models::design_of(cohort, &combined.columns, Some(rad_score), training)
        .and_then(|design| stat::nomogram(&combined.fit, &design, &labels, &horizons));
    built
        .map_err(|e| log.note("nomogram", format!("not built: {e}")))
        .ok()
}

fn patient_scores(
    cohort: &Cohort,
    rad_score: &[f64],
    models: [&FittedModel; 4],
    threshold: f64,
    config: &StudyConfig,
) -> Vec<PatientScore> {
    let [clinical, radiomics, combined, six] = models;
    let keys = config.horizon_keys();
    cohort
        .patients
        .iter()
        .enumerate()
        .map(|(i, p)| PatientScore {
            id: p.id.clone(),
            cohort: p.cohort,
            time: p.time,
            event: p.event,
            rad_score: rad_score[i],
            clinical_lp: clinical.risk[i],
            radiomics_lp: radiomics.risk[i],
            combined_lp: combined.risk[i],
            six_and_twelve: six.risk[i],
            risk_group: if combined.risk[i] > threshold {
                "high".into()
            } else {
                "low".into()
            },
            survival: keys
                .iter()
                .cloned()
                .zip(combined.survival[i].iter().copied())
                .collect(),
        })
        .collect()
}

fn cohort_summary(
    cohort: &Cohort,
    c: &CohortData,
    excluded: Option<Vec<String>>,
    config: &StudyConfig,
) -> CohortSummary {
    let patients: Vec<_> = c.rows.iter().map(|&i| &cohort.patients[i]).collect();
    let mut centres = BTreeMap::new();
    for p in &patients {
        if let Some(centre) = &p.centre {
            *centres.entry(centre.clone()).or_insert(0) += 1;
        }
    }
    let group = evaluation::group_survival("all", &c.surv, config);
    let follow_up = radsurv_stats::km::median_follow_up(&c.surv);
    CohortSummary {
        n: c.surv.len(),
        events: c.surv.events(),
        first_date: patients.iter().map(|p| p.date).min().map(|d| d.to_string()),
        last_date: patients.iter().map(|p| p.date).max().map(|d| d.to_string()),
        centres,
        median_os: group.median,
        median_follow_up: Estimate {
            value: evaluation::finite(follow_up.estimate),
            lower: evaluation::finite(follow_up.lower),
            upper: evaluation::finite(follow_up.upper),
        },
        excluded: excluded.unwrap_or_default(),
    }
}

fn model_file(
    results: &StudyResults,
    combined: &FittedModel,
    params_yaml: &str,
    reader: &str,
    config: &StudyConfig,
) -> ModelFile {
    let baseline = config
        .horizon_keys()
        .into_iter()
        .zip(config.horizons())
        .map(|(key, time)| {
            let cumhaz = combined.fit.cumhaz_at(time);
            BaselinePoint {
                key,
                time,
                cumhaz,
                survival: (-cumhaz).exp(),
            }
        })
        .collect();
    ModelFile {
        software: SoftwareInfo::current(),
        time_unit: config.clinical.time_unit.name().into(),
        extraction_params_yaml: params_yaml.into(),
        reader: reader.into(),
        features: results
            .selected_features
            .iter()
            .map(|f| ModelFeature {
                name: f.name.clone(),
                mean: f.mean,
                sd: f.sd,
                coefficient: f.coefficient,
            })
            .collect(),
        columns: combined.columns.clone(),
        coefficients: combined.fit.coef().to_vec(),
        means: combined.fit.means().to_vec(),
        baseline,
        risk_threshold: results.risk_groups.threshold,
    }
}

/// The path of a study folder's model file.
pub fn model_path(out_dir: &Path) -> PathBuf {
    out_dir.join("model.json")
}
