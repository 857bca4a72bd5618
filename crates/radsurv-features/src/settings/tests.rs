use super::*;

fn parse(text: &str) -> Result<Settings> {
    Settings::from_yaml_str(text, "test.yaml")
}

#[test]
fn empty_file_gives_pyradiomics_defaults() {
    assert_eq!(parse("").unwrap(), Settings::default());
    assert_eq!(Settings::default().feature_keys().len(), 107);
}

#[test]
fn reads_every_documented_key() {
    let s = parse(
        "setting:\n  binCount: 64\n  resampledPixelSpacing: [1, 2, 0]\n  interpolator: sitkLinear\n  \
         resegmentRange: [-3, 3]\n  resegmentMode: sigma\n  voxelArrayShift: 2000\n  \
         distances: [1, 2]\n  weightingNorm: no_weighting\n  gldm_a: 1\n  force2D: true\n  \
         force2Ddimension: 1\n  minimumROISize: 10\n  geometryTolerance: 0.001\n  correctMask: true\n  \
         normalize: true\n  normalizeScale: 100\n  removeOutliers: 3\n  preCrop: true\n  \
         padDistance: 10\n  resegmentShape: true\n  symmetricalGLCM: false\n  label: 2\n  \
         minimumROIDimensions: 3\n  binWidth: 5\n",
    )
    .unwrap();
    assert_eq!(s.bin_count, Some(64));
    assert_eq!(s.resampled_pixel_spacing, Some([1.0, 2.0, 0.0]));
    assert_eq!(s.interpolator, Some(Interpolator::Linear));
    assert_eq!(s.resegment_range, Some(vec![-3.0, 3.0]));
    assert_eq!(s.resegment_mode, ResegmentMode::Sigma);
    assert_eq!(s.voxel_array_shift, 2000.0);
    assert_eq!(s.texture.distances, vec![1, 2]);
    assert_eq!(s.texture.weighting_norm.as_deref(), Some("no_weighting"));
    assert_eq!(s.texture.gldm_a, 1.0);
    assert!(s.texture.force2d && !s.texture.symmetrical_glcm);
    assert_eq!(s.texture.force2d_dimension, 1);
    assert_eq!(s.minimum_roi_size, Some(10));
    assert_eq!(s.geometry_tolerance, Some(0.001));
    assert!(s.correct_mask && s.normalize && s.pre_crop && s.resegment_shape);
    assert_eq!((s.normalize_scale, s.remove_outliers), (100.0, Some(3.0)));
    assert_eq!(
        (s.pad_distance, s.label, s.minimum_roi_dimensions),
        (10, 2, 3)
    );
    assert_eq!(s.bin_width, 5.0);
    assert!(s.warnings.is_empty());
}

#[test]
fn a_sigma_that_is_not_positive_is_a_warning_naming_it() {
    let s = parse("imageType:\n  LoG:\n    sigma: [0.0, 1.0, -2]\n").unwrap();
    let messages: Vec<String> = s.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages[0].contains("sigma 0 is not > 0"), "{messages:?}");
    assert!(messages[1].contains("sigma -2 is not > 0"), "{messages:?}");
    assert!(parse("setting:\n  sigma: [1.0, 3.0]\n")
        .unwrap()
        .warnings
        .is_empty());
    let global = parse("setting:\n  sigma: [0]\nimageType:\n  LoG: {}\n").unwrap();
    assert_eq!(global.warnings.len(), 1, "{:?}", global.warnings);
}

#[test]
fn an_unknown_key_of_an_image_type_is_a_warning_naming_it() {
    let s = parse("imageType:\n  LoG:\n    sigmaa: [1.0]\n").unwrap();
    assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
    assert_eq!(s.warnings[0].key, "imageType.LoG.sigmaa");
}

#[test]
fn unknown_key_is_a_warning_and_invalid_value_an_error_naming_the_key() {
    let s = parse("setting:\n  binwidth: 25\n").unwrap();
    assert_eq!(s.warnings.len(), 1);
    assert_eq!(s.warnings[0].key, "setting.binwidth");
    let err = parse("setting:\n  binWidth: -1\n").unwrap_err().to_string();
    assert!(err.contains("setting.binWidth"), "{err}");
    let err = parse("setting:\n  minimumROIDimensions: 4\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("minimumROIDimensions"), "{err}");
    let err = parse("setting:\n  resegmentMode: fuzzy\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("resegmentMode"), "{err}");
    let err = parse("featureClass:\n  glcm: [NoSuchFeature]\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("featureClass.glcm"), "{err}");
    let err = parse("imageType:\n  Sobel: {}\n").unwrap_err().to_string();
    assert!(err.contains("imageType.Sobel"), "{err}");
    let err = parse("imageType:\n  LoG: {sigma: [a]}\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("imageType.LoG.sigma"), "{err}");
    assert!(matches!(
        parse("setting: [1, 2"),
        Err(FeatureError::ParamsSyntax { .. })
    ));
}

#[test]
fn class_order_follows_the_file_with_shape_first() {
    let s = parse(
        "featureClass:\n  ngtdm:\n  firstorder: [Mean, Energy, StandardDeviation]\n  shape: []\n",
    )
    .unwrap();
    let keys = s.feature_keys();
    assert_eq!(keys[0], "original_shape_Elongation");
    assert!(keys[14].starts_with("original_ngtdm_"));
    assert_eq!(
        &keys[19..22],
        [
            "original_firstorder_Mean",
            "original_firstorder_Energy",
            "original_firstorder_StandardDeviation"
        ]
    );
    assert_eq!(keys.len(), 14 + 5 + 3);
}

#[test]
fn reads_every_shared_params_file() {
    let dir = radsurv_testdata::data_path("pyradiomics/params");
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let s = Settings::from_params_file(&path).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            s.warnings.is_empty(),
            "{}: {:?}",
            path.display(),
            s.warnings
        );
        // PyRadiomics' example CT settings leave out ngtdm
        let classes = if path.ends_with("filters_exampleCT.yaml") {
            6
        } else {
            7
        };
        assert_eq!(s.classes.len(), classes, "{}", path.display());
        count += 1;
    }
    assert!(count >= 26, "only {count} params files");
    let s = Settings::from_params_file(&radsurv_testdata::data_path(
        "pyradiomics/params/resampled1mm_bw25.yaml",
    ))
    .unwrap();
    assert_eq!(s.resampled_pixel_spacing, Some([1.0, 1.0, 1.0]));
    assert_eq!(s.interpolator, Some(Interpolator::BSpline));
}

#[test]
fn image_types_keep_file_order_and_their_own_settings() {
    let s = parse(
        "imageType:\n  LoG: {sigma: [1, 2.5], binWidth: 5}\n  Original: {}\n  Wavelet:\n\
         featureClass:\n  firstorder: [Mean]\nsetting:\n  binWidth: 10\n",
    )
    .unwrap();
    let kinds: Vec<ImageKind> = s.image_types.iter().map(|t| t.kind).collect();
    assert_eq!(
        kinds,
        [ImageKind::LoG, ImageKind::Original, ImageKind::Wavelet]
    );
    assert_eq!(s.bin_width, 10.0);
    let log = s.for_image_type(&s.image_types[0]).unwrap();
    assert_eq!(log.bin_width, 5.0);
    assert_eq!(log.filters.sigma.len(), 2);
    assert!(s.filters.sigma.is_empty());
    let keys = s.feature_keys();
    assert_eq!(keys[0], "log-sigma-1-mm-3D_firstorder_Mean");
    assert_eq!(keys[1], "log-sigma-2-5-mm-3D_firstorder_Mean");
    assert_eq!(keys[2], "original_firstorder_Mean");
    assert_eq!(keys[3], "wavelet-LLH_firstorder_Mean");
    assert_eq!(keys.len(), 2 + 1 + 8);
}

#[test]
fn integer_interpolators_follow_simpleitk_one_and_two() {
    for (number, expected) in [
        (1, Interpolator::NearestNeighbor),
        (2, Interpolator::Linear),
        (3, Interpolator::BSpline),
        (23, Interpolator::BSpline),
    ] {
        let s = parse(&format!("setting:\n  interpolator: {number}\n")).unwrap();
        assert_eq!(s.interpolator, Some(expected), "interpolator {number}");
    }
    assert!(parse("setting:\n  interpolator: 4\n").is_err());
}

#[test]
fn a_label_written_into_parameter_text_parses_to_the_same_settings_with_that_label() {
    let dir = radsurv_testdata::data_path("pyradiomics/params");
    let mut texts = vec![String::new(), "{}\n".to_string(), "setting:\n".to_string()];
    for entry in std::fs::read_dir(dir).unwrap() {
        texts.push(std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    for text in texts {
        let written = Settings::params_text_with_label(&text, "test.yaml", 3).unwrap();
        let expected = Settings {
            label: 3,
            ..parse(&text).unwrap()
        };
        assert_eq!(parse(&written).unwrap(), expected, "{text}\n->\n{written}");
    }
}
