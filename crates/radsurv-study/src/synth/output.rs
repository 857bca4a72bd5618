//! Writing the cohort folder: volumes, `clinical.csv`, `manifest.csv` and `truth.json`.

use super::cohort::{Calibration, Outcome, Patient};
use super::phantom::{CaseVolumes, LipiodolPattern, ReaderBStyle, PATTERN_LOADING, SCANNERS};
use super::{SynthConfig, SynthError};
use radsurv_image::{Volume, VoxelData};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The folder layout of a cohort.
pub(crate) struct Layout {
    root: PathBuf,
}

/// Everything known about every patient, index-aligned.
pub(crate) struct Cases<'a> {
    pub patients: &'a [Patient],
    pub outcomes: &'a [Outcome],
    pub patterns: &'a [LipiodolPattern],
    pub reader_b: &'a [Option<ReaderBStyle>],
    pub reader_a_voxels: &'a [usize],
}

/// One row of `clinical.csv` (columns documented in the module doc of `synth`).
#[derive(Serialize)]
struct ClinicalRow<'a> {
    id: &'a str,
    centre: String,
    tace_date: String,
    gender: &'static str,
    age: u32,
    afp_ge400: u8,
    tbil_ge17: u8,
    hbv: u8,
    tl_diameter_cm: f64,
    tumour_number_ge3: u8,
    morphology: &'static str,
    bclc: &'static str,
    child_pugh: &'static str,
    tace_type: &'static str,
    largest_diameter_cm: f64,
    tumour_count: u32,
    os_months: f64,
    os_event: u8,
}

/// One row of `manifest.csv`.
#[derive(Serialize)]
struct ManifestRow {
    case_id: String,
    image: String,
    mask: String,
    reader: char,
}

/// `truth.json`.
#[derive(Serialize)]
struct Truth<'a> {
    seed: u64,
    patients: usize,
    model: &'a super::PlantedModel,
    calibration: Calibration,
    pattern_loading: f64,
    scanners: &'a [super::Scanner],
    cases: Vec<TruthCase<'a>>,
}

/// One patient in `truth.json`.
#[derive(Serialize)]
struct TruthCase<'a> {
    id: &'a str,
    latent: f64,
    pattern: LipiodolPattern,
    outcome: &'a Outcome,
    reader_b: Option<ReaderBStyle>,
    reader_a_voxels: usize,
}

impl Layout {
    /// Creates `root`, `root/images`, `root/masks/readerA` and `root/masks/readerB`.
    pub(crate) fn create(root: &Path) -> Result<Self, SynthError> {
        let layout = Layout {
            root: root.to_path_buf(),
        };
        for dir in ["images", "masks/readerA", "masks/readerB"] {
            let path = layout.root.join(dir);
            std::fs::create_dir_all(&path).map_err(|source| SynthError::Io { path, source })?;
        }
        Ok(layout)
    }

    /// Path of `clinical.csv`.
    pub(crate) fn clinical_path(&self) -> PathBuf {
        self.root.join("clinical.csv")
    }

    /// Path of `manifest.csv`.
    pub(crate) fn manifest_path(&self) -> PathBuf {
        self.root.join("manifest.csv")
    }

    /// Path of `truth.json`.
    pub(crate) fn truth_path(&self) -> PathBuf {
        self.root.join("truth.json")
    }

    /// Writes one case's image and masks; returns reader A's VOI voxel count.
    ///
    /// # Errors
    /// [`SynthError::EmptyMask`] when a reader's VOI is empty; image errors name the file.
    pub(crate) fn write_case(&self, id: &str, volumes: &CaseVolumes) -> Result<usize, SynthError> {
        let reader_a_voxels = labelled_voxels(&volumes.reader_a);
        if reader_a_voxels == 0 {
            return Err(SynthError::EmptyMask {
                case_id: id.to_string(),
                reader: 'A',
            });
        }
        if volumes
            .reader_b
            .as_ref()
            .is_some_and(|m| labelled_voxels(m) == 0)
        {
            return Err(SynthError::EmptyMask {
                case_id: id.to_string(),
                reader: 'B',
            });
        }
        let write = |relative: String, volume: &Volume| {
            radsurv_image::nifti::write(self.root.join(relative), volume).map_err(|source| {
                SynthError::Image {
                    case_id: id.to_string(),
                    source,
                }
            })
        };
        write(image_path(id), &volumes.image)?;
        write(mask_path(id, 'A'), &volumes.reader_a)?;
        if let Some(mask) = &volumes.reader_b {
            write(mask_path(id, 'B'), mask)?;
        }
        Ok(reader_a_voxels)
    }

    /// Writes `clinical.csv`.
    pub(crate) fn write_clinical(&self, cases: &Cases<'_>) -> Result<(), SynthError> {
        let rows = cases
            .patients
            .iter()
            .zip(cases.outcomes)
            .map(|(p, o)| clinical_row(p, o));
        write_csv(&self.clinical_path(), rows)
    }

    /// Writes `manifest.csv`: reader A for every case, reader B right after it where present.
    pub(crate) fn write_manifest(&self, cases: &Cases<'_>) -> Result<(), SynthError> {
        let rows = cases
            .patients
            .iter()
            .zip(cases.reader_b)
            .flat_map(|(p, b)| {
                let readers: &[char] = if b.is_some() { &['A', 'B'] } else { &['A'] };
                readers.iter().map(|&reader| ManifestRow {
                    case_id: p.id.clone(),
                    image: image_path(&p.id),
                    mask: mask_path(&p.id, reader),
                    reader,
                })
            });
        write_csv(&self.manifest_path(), rows)
    }

    /// Writes `truth.json`.
    pub(crate) fn write_truth(
        &self,
        config: &SynthConfig,
        calibration: Calibration,
        cases: &Cases<'_>,
    ) -> Result<(), SynthError> {
        let truth = Truth {
            seed: config.seed,
            patients: config.patients,
            model: &config.model,
            calibration,
            pattern_loading: PATTERN_LOADING,
            scanners: &SCANNERS,
            cases: (0..cases.patients.len())
                .map(|i| TruthCase {
                    id: &cases.patients[i].id,
                    latent: cases.patients[i].latent,
                    pattern: cases.patterns[i],
                    outcome: &cases.outcomes[i],
                    reader_b: cases.reader_b[i],
                    reader_a_voxels: cases.reader_a_voxels[i],
                })
                .collect(),
        };
        let path = self.truth_path();
        let text = serde_json::to_string_pretty(&truth).map_err(|source| SynthError::Json {
            path: path.clone(),
            source,
        })?;
        std::fs::write(&path, text + "\n").map_err(|source| SynthError::Io { path, source })
    }
}

/// `clinical.csv` row of one patient.
fn clinical_row<'a>(p: &'a Patient, o: &Outcome) -> ClinicalRow<'a> {
    ClinicalRow {
        id: &p.id,
        centre: format!("C{}", p.centre + 1),
        tace_date: p.tace_date.format("%Y-%m-%d").to_string(),
        gender: if p.male { "male" } else { "female" },
        age: p.age,
        afp_ge400: u8::from(p.afp_ge400),
        tbil_ge17: u8::from(p.tbil_ge17),
        hbv: u8::from(p.hbv),
        tl_diameter_cm: p.tl_diameter_cm,
        tumour_number_ge3: u8::from(p.tumour_number_ge3()),
        morphology: p.morphology.label(),
        bclc: if p.bclc_b { "B" } else { "A" },
        child_pugh: if p.child_pugh_b { "B" } else { "A" },
        tace_type: if p.deb_tace { "DEB-TACE" } else { "C-TACE" },
        largest_diameter_cm: p.largest_diameter_cm,
        tumour_count: p.tumour_count,
        os_months: o.os_months,
        os_event: u8::from(o.event),
    }
}

/// `images/<id>.nii.gz`, relative to the cohort folder.
fn image_path(id: &str) -> String {
    format!("images/{id}.nii.gz")
}

/// `masks/reader<R>/<id>.nii.gz`, relative to the cohort folder.
fn mask_path(id: &str, reader: char) -> String {
    format!("masks/reader{reader}/{id}.nii.gz")
}

/// Voxels with a non-zero label.
fn labelled_voxels(mask: &Volume) -> usize {
    match mask.data() {
        VoxelData::U8(values) => values.iter().filter(|&&v| v != 0).count(),
        other => (0..other.len())
            .filter(|&i| other.get_f64(i) != 0.0)
            .count(),
    }
}

/// Writes serialisable rows, with a header, to `path`.
fn write_csv<R: Serialize>(path: &Path, rows: impl Iterator<Item = R>) -> Result<(), SynthError> {
    let csv_error = |source| SynthError::Csv {
        path: path.to_path_buf(),
        source,
    };
    let mut writer = csv::Writer::from_path(path).map_err(csv_error)?;
    for row in rows {
        writer.serialize(row).map_err(csv_error)?;
    }
    writer.flush().map_err(|source| SynthError::Io {
        path: path.to_path_buf(),
        source,
    })
}
