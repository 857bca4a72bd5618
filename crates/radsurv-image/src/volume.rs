//! A volume: voxel values in their stored pixel type plus [`Geometry`].

use crate::{Geometry, ImageError, Result};
use multiversion::multiversion;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Scalar pixel types, named as SimpleITK names them (`GetPixelIDTypeAsString`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PixelType {
    /// 8-bit unsigned integer.
    U8,
    /// 8-bit signed integer.
    I8,
    /// 16-bit unsigned integer.
    U16,
    /// 16-bit signed integer.
    I16,
    /// 32-bit unsigned integer.
    U32,
    /// 32-bit signed integer.
    I32,
    /// 64-bit unsigned integer.
    U64,
    /// 64-bit signed integer.
    I64,
    /// 32-bit float.
    F32,
    /// 64-bit float.
    F64,
}

impl PixelType {
    /// SimpleITK's name of the type, e.g. `"16-bit signed integer"`.
    pub fn sitk_name(self) -> &'static str {
        match self {
            PixelType::U8 => "8-bit unsigned integer",
            PixelType::I8 => "8-bit signed integer",
            PixelType::U16 => "16-bit unsigned integer",
            PixelType::I16 => "16-bit signed integer",
            PixelType::U32 => "32-bit unsigned integer",
            PixelType::I32 => "32-bit signed integer",
            PixelType::U64 => "64-bit unsigned integer",
            PixelType::I64 => "64-bit signed integer",
            PixelType::F32 => "32-bit float",
            PixelType::F64 => "64-bit float",
        }
    }

    /// True for the integer types (whose resampled values ITK truncates toward zero).
    pub fn is_integer(self) -> bool {
        !matches!(self, PixelType::F32 | PixelType::F64)
    }
}

/// Voxel values in their stored type, x-fastest.
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)] // one variant per pixel type, named as the type
pub enum VoxelData {
    U8(Vec<u8>),
    I8(Vec<i8>),
    U16(Vec<u16>),
    I16(Vec<i16>),
    U32(Vec<u32>),
    I32(Vec<i32>),
    U64(Vec<u64>),
    I64(Vec<i64>),
    F32(Vec<f32>),
    F64(Vec<f64>),
}

/// Applies `$body` to the inner vector of any [`VoxelData`] variant.
macro_rules! with_data {
    ($data:expr, $v:ident => $body:expr) => {
        match $data {
            VoxelData::U8($v) => $body,
            VoxelData::I8($v) => $body,
            VoxelData::U16($v) => $body,
            VoxelData::I16($v) => $body,
            VoxelData::U32($v) => $body,
            VoxelData::I32($v) => $body,
            VoxelData::U64($v) => $body,
            VoxelData::I64($v) => $body,
            VoxelData::F32($v) => $body,
            VoxelData::F64($v) => $body,
        }
    };
}

/// [`RowExtent::of`] every row of `row_len` values; compiled also for AVX2 (chosen at run time),
/// which compares twice as many values per instruction.
#[multiversion(targets("x86_64+avx2"))]
fn rows_matching<T: Copy>(
    v: &[T],
    row_len: usize,
    is_label: impl Fn(T) -> bool + Copy,
) -> Vec<Option<RowExtent>> {
    v.chunks(row_len.max(1))
        .map(|row| RowExtent::of(row, is_label))
        .collect()
}

/// Rows handed to one task by [`VoxelData::label_rows`]: enough work to outweigh a task's cost.
const ROWS_PER_TASK: usize = 64;

/// [`rows_matching`] on blocks of [`ROWS_PER_TASK`] rows in parallel, concatenated in order.
fn rows_matching_par<T: Copy + Sync>(
    v: &[T],
    row_len: usize,
    is_label: impl Fn(T) -> bool + Copy + Sync,
) -> Vec<Option<RowExtent>> {
    v.par_chunks(row_len.max(1) * ROWS_PER_TASK)
        .flat_map_iter(|block| rows_matching(block, row_len, is_label))
        .collect()
}

/// How many rows [`VoxelData::interleave_rows_f64`] interleaves at most: a block of lines that
/// the B-spline prefilter filters together.
pub const INTERLEAVE_LANES: usize = 16;

/// `out[x][lane] = widen(line[x])`; compiled also for AVX (chosen at run time), whose packed
/// conversions widen four values per instruction.
#[multiversion(targets("x86_64+avx"))]
fn widen_into_lane<T: Copy>(
    line: &[T],
    out: &mut [[f64; INTERLEAVE_LANES]],
    lane: usize,
    widen: impl Fn(T) -> f64,
) {
    for (slot, &x) in out.iter_mut().zip(line) {
        slot[lane] = widen(x);
    }
}

impl VoxelData {
    /// The pixel type of the stored values.
    pub fn pixel_type(&self) -> PixelType {
        match self {
            VoxelData::U8(_) => PixelType::U8,
            VoxelData::I8(_) => PixelType::I8,
            VoxelData::U16(_) => PixelType::U16,
            VoxelData::I16(_) => PixelType::I16,
            VoxelData::U32(_) => PixelType::U32,
            VoxelData::I32(_) => PixelType::I32,
            VoxelData::U64(_) => PixelType::U64,
            VoxelData::I64(_) => PixelType::I64,
            VoxelData::F32(_) => PixelType::F32,
            VoxelData::F64(_) => PixelType::F64,
        }
    }

    /// Number of stored values.
    pub fn len(&self) -> usize {
        with_data!(self, v => v.len())
    }

    /// True when no values are stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Value at linear offset `i`, widened to `f64` (exact for every type but 64-bit integers
    /// beyond $2^{53}$).
    #[inline]
    #[allow(clippy::unnecessary_cast)] // the f64 arm of the macro casts f64 to itself
    pub fn get_f64(&self, i: usize) -> f64 {
        with_data!(self, v => v[i] as f64)
    }

    /// Calls `f` with the integer label of every voxel, in order: integers as stored, floats
    /// truncated toward zero (a cast). One loop per pixel type, so no per-voxel dispatch.
    #[allow(clippy::unnecessary_cast)] // the i64 arm of the macro casts i64 to itself
    pub fn for_each_label(&self, mut f: impl FnMut(i64)) {
        with_data!(self, v => v.iter().for_each(|&x| f(x as i64)))
    }

    /// For every voxel, whether its integer label (as [`VoxelData::for_each_label`] gives it)
    /// is `label`; in parallel, in order.
    #[allow(clippy::unnecessary_cast)] // the i64 arm of the macro casts i64 to itself
    pub fn label_flags(&self, label: i64) -> Vec<bool> {
        with_data!(self, v => v.par_iter().map(|&x| x as i64 == label).collect())
    }

    /// For every row of `row_len` values (the x lines of an x-fastest volume): how many carry
    /// `label` (compared as [`VoxelData::for_each_label`] does) and the first and last position
    /// of one, or `None` for a row without it. One typed loop per row, no per-voxel flags;
    /// blocks of rows run in parallel.
    ///
    /// Integers are compared in their own type: `x as i64 == label` holds exactly when
    /// `x == label as T` and `label` survives the round trip through `T` (the cast to `i64` is
    /// one-to-one on integers), and the narrow comparison lets the compiler test many voxels per
    /// instruction. Floats keep the truncating cast, which is not one-to-one.
    pub fn label_rows(&self, row_len: usize, label: i64) -> Vec<Option<RowExtent>> {
        macro_rules! integer {
            ($v:expr, $t:ty) => {{
                let narrow = label as $t;
                if narrow as i64 == label {
                    rows_matching_par($v, row_len, |x| x == narrow)
                } else {
                    rows_matching_par($v, row_len, |_| false)
                }
            }};
        }
        match self {
            VoxelData::U8(v) => integer!(v, u8),
            VoxelData::I8(v) => integer!(v, i8),
            VoxelData::U16(v) => integer!(v, u16),
            VoxelData::I16(v) => integer!(v, i16),
            VoxelData::U32(v) => integer!(v, u32),
            VoxelData::I32(v) => integer!(v, i32),
            VoxelData::U64(v) => integer!(v, u64),
            VoxelData::I64(v) => integer!(v, i64),
            VoxelData::F32(v) => rows_matching_par(v, row_len, |x| x as i64 == label),
            VoxelData::F64(v) => rows_matching_par(v, row_len, |x| x as i64 == label),
        }
    }

    /// Widens `rows` (at most [`INTERLEAVE_LANES`]) consecutive rows of `row_len` values,
    /// starting at offset `start`, to `f64` into `out` interleaved: value `x` of row `l` goes to
    /// `out[x][l]`, the layout in which several rows are filtered at once. Lanes from `rows` on
    /// are set to zero. Row by row: each row is read in order, and `out` stays in cache.
    #[allow(clippy::unnecessary_cast)] // the f64 arm of the macro casts f64 to itself
    pub fn interleave_rows_f64(
        &self,
        start: usize,
        row_len: usize,
        rows: usize,
        out: &mut [[f64; INTERLEAVE_LANES]],
    ) {
        let out = &mut out[..row_len];
        if rows < INTERLEAVE_LANES {
            out.iter_mut().for_each(|slot| slot[rows..].fill(0.0));
        }
        with_data!(self, v => {
            let lines = v[start..start + row_len * rows].chunks_exact(row_len.max(1));
            for (l, line) in lines.enumerate().take(INTERLEAVE_LANES) {
                widen_into_lane(line, out, l, |x| x as f64);
            }
        })
    }

    /// The `out.len()` values from offset `start` on, widened to `f64` (as
    /// [`VoxelData::get_f64`], in one typed loop).
    #[allow(clippy::unnecessary_cast)] // the f64 arm of the macro casts f64 to itself
    pub fn widen_row_f64(&self, start: usize, out: &mut [f64]) {
        with_data!(self, v => {
            let row = &v[start..start + out.len()];
            out.iter_mut().zip(row).for_each(|(o, &x)| *o = x as f64);
        })
    }

    /// All values as `u32`, through `f64` (truncated toward zero and clamped to `u32`).
    #[allow(clippy::unnecessary_cast)] // the f64 arm of the macro casts f64 to itself
    pub fn to_u32_clamped(&self) -> Vec<u32> {
        with_data!(self, v => v.par_iter().map(|&x| (x as f64) as u32).collect())
    }

    /// All values widened to `f64`.
    #[allow(clippy::unnecessary_cast)] // the f64 arm of the macro casts f64 to itself
    pub fn to_f64(&self) -> Vec<f64> {
        with_data!(self, v => v.par_iter().map(|&x| x as f64).collect())
    }

    /// Smallest and largest value as `f64`; `None` when there is none (empty, or only NaNs).
    /// Read in the stored type, without a widened copy of the volume.
    pub fn value_range(&self) -> Option<(f64, f64)> {
        macro_rules! integer {
            ($v:expr) => {
                integer_range($v).map(|(lo, hi)| (lo as f64, hi as f64))
            };
        }
        match self {
            VoxelData::U8(v) => integer!(v),
            VoxelData::I8(v) => integer!(v),
            VoxelData::U16(v) => integer!(v),
            VoxelData::I16(v) => integer!(v),
            VoxelData::U32(v) => integer!(v),
            VoxelData::I32(v) => integer!(v),
            VoxelData::U64(v) => integer!(v),
            VoxelData::I64(v) => integer!(v),
            VoxelData::F32(v) => float_range(v.iter().map(|&x| f64::from(x))),
            VoxelData::F64(v) => float_range(v.iter().copied()),
        }
    }
}

fn integer_range<T: Copy + Ord>(values: &[T]) -> Option<(T, T)> {
    let first = *values.first()?;
    Some(
        values
            .iter()
            .fold((first, first), |(lo, hi), &x| (lo.min(x), hi.max(x))),
    )
}

/// `f64::min` and `max` return the other operand when one is NaN, so NaNs drop out.
fn float_range(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
        (lo.min(x), hi.max(x))
    });
    (lo <= hi).then_some((lo, hi))
}

/// Where one label occurs along a row: see [`VoxelData::label_rows`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowExtent {
    /// Values in the row equal to the label.
    pub count: usize,
    /// Position of the first of them.
    pub first: usize,
    /// Position of the last of them.
    pub last: usize,
}

impl RowExtent {
    /// Counting first (a loop the compiler vectorises) keeps rows without the label, nearly
    /// all of them, cheap. The count is summed in 32-bit lanes (per 2^16 values, which cannot
    /// overflow them): a `usize` count would widen every comparison to 64 bits, a quarter of the
    /// voxels per instruction for 16-bit data.
    fn of<T: Copy>(row: &[T], is_label: impl Fn(T) -> bool) -> Option<RowExtent> {
        let count: usize = row
            .chunks(1 << 16)
            .map(|chunk| chunk.iter().map(|&x| u32::from(is_label(x))).sum::<u32>() as usize)
            .sum();
        if count == 0 {
            return None;
        }
        Some(RowExtent {
            count,
            first: row.iter().position(|&x| is_label(x))?,
            last: row.iter().rposition(|&x| is_label(x))?,
        })
    }
}

/// A 3D scalar image: values in their stored pixel type plus ITK geometry.
#[derive(Debug, Clone, PartialEq)]
pub struct Volume {
    geometry: Geometry,
    data: VoxelData,
}

impl Volume {
    /// Pairs data with a geometry.
    ///
    /// # Errors
    /// [`ImageError::DataSize`] when the number of values differs from the geometry's voxel count.
    pub fn new(geometry: Geometry, data: VoxelData) -> Result<Self> {
        if data.len() != geometry.voxel_count() {
            return Err(ImageError::DataSize {
                expected: geometry.voxel_count(),
                actual: data.len(),
            });
        }
        Ok(Volume { geometry, data })
    }

    /// The grid.
    pub fn geometry(&self) -> &Geometry {
        &self.geometry
    }

    /// The stored values.
    pub fn data(&self) -> &VoxelData {
        &self.data
    }

    /// The stored pixel type.
    pub fn pixel_type(&self) -> PixelType {
        self.data.pixel_type()
    }

    /// Value at voxel `(x, y, z)` widened to `f64`.
    #[inline]
    pub fn value(&self, x: usize, y: usize, z: usize) -> f64 {
        self.data.get_f64(self.geometry.offset(x, y, z))
    }

    /// All values widened to `f64`, x-fastest.
    pub fn to_f64(&self) -> Vec<f64> {
        self.data.to_f64()
    }

    /// Smallest and largest value; `None` for an empty volume. NaNs are ignored.
    pub fn value_range(&self) -> Option<(f64, f64)> {
        self.data.value_range()
    }

    /// Splits into geometry and data.
    pub fn into_parts(self) -> (Geometry, VoxelData) {
        (self.geometry, self.data)
    }
}

#[cfg(test)]
mod tests {
    use super::VoxelData;

    #[test]
    fn value_range_reads_every_type_and_skips_nans() {
        assert_eq!(
            VoxelData::I16(vec![3, -1024, 3071, 0]).value_range(),
            Some((-1024.0, 3071.0))
        );
        assert_eq!(VoxelData::U8(vec![7]).value_range(), Some((7.0, 7.0)));
        assert_eq!(
            VoxelData::F32(vec![f32::NAN, 2.5, -0.5, f32::NAN]).value_range(),
            Some((-0.5, 2.5))
        );
        assert_eq!(VoxelData::F64(vec![f64::NAN]).value_range(), None);
        assert_eq!(VoxelData::I32(Vec::new()).value_range(), None);
    }
}
