use super::*;

fn sample() -> Volume {
    let mut g = Geometry::new([3, 2, 2], [0.5, 0.7, 2.5], [-1.25, 3.0, 100.125]);
    g.direction = [[0.0, 1.0, 0.0], [-1.0, 0.0, 0.0], [0.0, 0.0, 1.0]];
    Volume::new(g, VoxelData::I16((0..12).map(|v| v * 300 - 1000).collect())).unwrap()
}

#[test]
fn write_then_read_keeps_geometry_and_values() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.nrrd");
    write(&p, &sample()).unwrap();
    assert_eq!(read(&p).unwrap(), sample());
}

#[test]
fn detached_raw_big_endian_ras_header_reads_as_lps() {
    let dir = tempfile::tempdir().unwrap();
    let values: Vec<u8> = [1.5f32, -2.0, 3.25, 4.0]
        .iter()
        .flat_map(|v| v.to_be_bytes())
        .collect();
    fs::write(
        dir.path().join("d.raw"),
        [b"junk\n".as_slice(), &values].concat(),
    )
    .unwrap();
    let header = "NRRD0004\ntype: float\ndimension: 3\nspace: right-anterior-superior\n\
        sizes: 2 2 1\nspace directions: (2,0,0) (0,3,0) (0,0,4)\nendian: big\n\
        encoding: raw\nline skip: 1\nspace origin: (10,20,30)\ndata file: d.raw\n";
    let p = dir.path().join("d.nhdr");
    fs::write(&p, header).unwrap();
    let v = read(&p).unwrap();
    assert_eq!(v.data(), &VoxelData::F32(vec![1.5, -2.0, 3.25, 4.0]));
    assert_eq!(v.geometry().origin, [-10.0, -20.0, 30.0]);
    assert_eq!(v.geometry().spacing, [2.0, 3.0, 4.0]);
    assert_eq!(v.geometry().direction[0][0], -1.0);
    assert_eq!(v.geometry().direction[1][1], -1.0);
}

#[test]
fn ascii_encoding_and_spacings_without_space() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.nrrd");
    let text = "NRRD0001\ntype: uchar\ndimension: 3\nsizes: 2 1 1\nspacings: 0.5 nan 2\n\
        encoding: ascii\n\n7 9\n";
    fs::write(&p, text).unwrap();
    let v = read(&p).unwrap();
    assert_eq!(v.data(), &VoxelData::U8(vec![7, 9]));
    assert_eq!(v.geometry().spacing, [0.5, 1.0, 2.0]);
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut encoder, bytes).unwrap();
    encoder.finish().unwrap()
}

/// A 2x1x1 `short` gzip NRRD whose header ends with `extra_fields`.
fn write_gzip_nrrd(dir: &Path, extra_fields: &str, compressed: &[u8]) -> PathBuf {
    let p = dir.join("g.nrrd");
    let header = format!(
        "NRRD0004\ntype: short\ndimension: 3\nsizes: 2 1 1\nendian: little\n\
         encoding: gzip\n{extra_fields}\n"
    );
    fs::write(&p, [header.as_bytes(), compressed].concat()).unwrap();
    p
}

/// Reading `p` fails as truncated: 4 bytes declared, 2 there.
fn assert_truncated_to_two_of_four_bytes(p: &Path) {
    let error = read(p).unwrap_err();
    assert!(
        matches!(
            error,
            ImageError::Truncated {
                expected: 4,
                actual: 2,
                ..
            }
        ),
        "{error}"
    );
}

#[test]
fn gzip_with_byte_skip_or_more_data_than_declared_reads_the_declared_values() {
    let dir = tempfile::tempdir().unwrap();
    let values = [7i16, -3, 99, 5].map(i16::to_le_bytes).concat();
    let p = write_gzip_nrrd(dir.path(), "", &gzip(&values));
    assert_eq!(read(&p).unwrap().data(), &VoxelData::I16(vec![7, -3]));
    let p = write_gzip_nrrd(dir.path(), "byte skip: 2\n", &gzip(&values));
    assert_eq!(read(&p).unwrap().data(), &VoxelData::I16(vec![-3, 99]));
    let p = write_gzip_nrrd(dir.path(), "byte skip: 6\n", &gzip(&values));
    assert_truncated_to_two_of_four_bytes(&p);
}

#[test]
fn gzip_with_a_wrong_crc_is_malformed_and_short_data_truncated() {
    let dir = tempfile::tempdir().unwrap();
    let mut compressed = gzip(&[1, 0, 2, 0]);
    let crc_at = compressed.len() - 8;
    compressed[crc_at] ^= 1;
    let p = write_gzip_nrrd(dir.path(), "", &compressed);
    assert!(matches!(
        read(&p).unwrap_err(),
        ImageError::Malformed { .. }
    ));
    let p = write_gzip_nrrd(dir.path(), "", &gzip(&[1, 0]));
    assert_truncated_to_two_of_four_bytes(&p);
}

#[test]
fn reciprocal_normalisation_of_directions_is_used() {
    let v = [0.1f64, 0.2, 0.3];
    let n = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt();
    let header = format!(
        "NRRD0004\ntype: uchar\ndimension: 3\nspace: LPS\nsizes: 1 1 1\n\
         space directions: ({},{},{}) (0,1,0) (0,0,1)\nencoding: raw\n\n\x05",
        v[0], v[1], v[2]
    );
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("r.nrrd");
    fs::write(&p, header).unwrap();
    let g = read(&p).unwrap().geometry().clone();
    assert_eq!(g.spacing[0], n);
    assert_eq!(g.direction[2][0], v[2] * (1.0 / n));
}
