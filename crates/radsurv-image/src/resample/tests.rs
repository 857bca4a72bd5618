use super::bspline::{filter_lines, prefilter, Block};
use super::*;
use crate::INTERLEAVE_LANES;

#[test]
fn bspline_reproduces_input_at_grid_points() {
    let g = Geometry::new([7, 5, 4], [1.0; 3], [0.0; 3]);
    let values: Vec<f64> = (0..140).map(|i| ((i * 37) % 23) as f64 - 5.0).collect();
    let v = Volume::new(g.clone(), VoxelData::F64(values.clone())).unwrap();
    let out = resample_onto(&v, &g, Interpolator::BSpline).unwrap();
    for (a, b) in out.to_f64().iter().zip(&values) {
        assert!((a - b).abs() < 1e-9, "{a} vs {b}");
    }
}

#[test]
fn partial_prefilter_equals_whole_image_prefilter() {
    let g = Geometry::new([30, 9, 6], [1.0; 3], [0.0; 3]);
    let values: Vec<f64> = (0..g.voxel_count())
        .map(|i| ((i * 7919) % 211) as f64)
        .collect();
    let v = Volume::new(g.clone(), VoxelData::F64(values)).unwrap();
    let all = [0, 1, 2].map(|k| (0..g.size[k]).collect::<Vec<_>>());
    let whole = prefilter(&v, &all);
    let some = [vec![2, 3, 29], vec![0, 4], vec![5]];
    let part = prefilter(&v, &some);
    for (r, &z) in some[2].iter().enumerate() {
        for (q, &y) in some[1].iter().enumerate() {
            for (p, &x) in some[0].iter().enumerate() {
                let a = part[p + 3 * (q + 2 * r)];
                let b = whole[x + 30 * (y + 9 * z)];
                assert_eq!(a.to_bits(), b.to_bits());
            }
        }
    }
}

#[test]
fn lines_in_a_block_filter_like_single_lines() {
    for n in [2, 5, 17, 40] {
        let lines: Vec<Vec<f64>> = (0..3)
            .map(|l| {
                (0..n)
                    .map(|i| ((i * 31 + l * 7) % 13) as f64 - 4.5)
                    .collect()
            })
            .collect();
        let mut together = vec![[0.0; INTERLEAVE_LANES]; n];
        for (i, b) in together.iter_mut().enumerate() {
            for (l, line) in lines.iter().enumerate() {
                b[l + 5] = line[i];
            }
        }
        filter_lines(&mut together, 0);
        for (l, line) in lines.iter().enumerate() {
            let mut alone: Vec<Block> = line.iter().map(|&v| [v; INTERLEAVE_LANES]).collect();
            filter_lines(&mut alone, 0);
            for i in 0..n {
                assert_eq!(
                    alone[i][0].to_bits(),
                    together[i][l + 5].to_bits(),
                    "n {n} line {l} index {i}"
                );
            }
        }
    }
}

fn cube(size: usize, spacing: f64) -> (Volume, Volume) {
    let g = Geometry::new([size; 3], [spacing; 3], [10.0, -4.0, 2.0]);
    let n = g.voxel_count();
    let image = Volume::new(
        g.clone(),
        VoxelData::F32((0..n).map(|i| i as f32).collect()),
    )
    .unwrap();
    let mut labels = vec![0u8; n];
    labels[g.offset(2, 2, 2)] = 1;
    labels[g.offset(3, 3, 3)] = 1;
    (image, Volume::new(g, VoxelData::U8(labels)).unwrap())
}

#[test]
fn centre_aligned_grid_keeps_the_image_centre() {
    let (image, mask) = cube(6, 2.0);
    let settings = ResampleSettings {
        alignment: GridAlignment::Centre,
        pad_distance: 100,
        ..ResampleSettings::default()
    };
    let (out, out_mask) = resample_image_and_mask(&image, &mask, &settings).unwrap();
    let g = out.geometry();
    assert_eq!(g.size, [12; 3]);
    let centre_in = image.geometry().index_to_physical([2.5; 3]);
    let centre_out = g.index_to_physical([5.5; 3]);
    for k in 0..3 {
        assert!((centre_in[k] - centre_out[k]).abs() < 1e-12);
    }
    assert_eq!(out_mask.pixel_type(), PixelType::U32);
}

#[test]
fn same_spacing_only_crops_around_the_roi() {
    let (image, mask) = cube(9, 1.0);
    let settings = ResampleSettings {
        pad_distance: 1,
        ..ResampleSettings::default()
    };
    let (out, out_mask) = resample_image_and_mask(&image, &mask, &settings).unwrap();
    assert_eq!(out.geometry().size, [4; 3]);
    assert_eq!(
        out.geometry().origin,
        image.geometry().index_to_physical([1.0; 3])
    );
    assert_eq!(out.value(0, 0, 0), image.value(1, 1, 1));
    assert_eq!(crate::label_counts(&out_mask).get(&1), Some(&2));
}

#[test]
fn nearest_rounds_half_up_and_integers_truncate() {
    let g = Geometry::new([4, 1, 1], [1.0; 3], [0.0; 3]);
    let v = Volume::new(g, VoxelData::I16(vec![10, 20, 30, 40])).unwrap();
    let out_grid = Geometry::new([4, 1, 1], [1.0; 3], [0.5, 0.0, 0.0]);
    let nn = resample_onto(&v, &out_grid, Interpolator::NearestNeighbor).unwrap();
    assert_eq!(nn.data(), &VoxelData::I16(vec![20, 30, 40, 0]));
    let lin_grid = Geometry::new([2, 1, 1], [1.0; 3], [0.25, 0.0, 0.0]);
    let lin = resample_onto(&v, &lin_grid, Interpolator::Linear).unwrap();
    assert_eq!(lin.data(), &VoxelData::I16(vec![12, 22]));
    let neg = Volume::new(
        Geometry::new([2, 1, 1], [1.0; 3], [0.0; 3]),
        VoxelData::I16(vec![-10, -20]),
    )
    .unwrap();
    let lin = resample_onto(&neg, &lin_grid, Interpolator::Linear).unwrap();
    assert_eq!(lin.data(), &VoxelData::I16(vec![-12, -20]));
}

#[test]
fn correct_mask_moves_labels_onto_image_grid() {
    let mut v = vec![0i16; 4 * 3 * 2];
    v[1 + 4 * (2 + 3)] = 2; // (1, 2, 1)
    v[3] = 2; // (3, 0, 0)
    v[5] = 1;
    let labels = Volume::new(
        Geometry::new([4, 3, 2], [1.0; 3], [0.0; 3]),
        VoxelData::I16(v),
    )
    .unwrap();
    let image = Geometry::new([8, 6, 4], [0.5; 3], [-0.25; 3]);
    let corrected = correct_mask(&image, &labels, 2).unwrap();
    assert_eq!(corrected.geometry(), &image);
    assert_eq!(crate::label_counts(&corrected).get(&2), Some(&16));
}
