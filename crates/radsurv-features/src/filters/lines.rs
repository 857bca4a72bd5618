//! Separable line filters on boxes of the image: a pass along one axis reads whole lines of
//! its input box and keeps the part of each filtered line that the output box needs.
//!
//! A pass computes in `f64` and stores its values in the [`Sample`] type of its output block:
//! `f32` where the filter (ITK) stores every pass as float32 (half the memory and traffic of
//! doubles holding the same values), `f64` otherwise. The first pass of a chain reads the image
//! in its stored type through [`Image`], widening one row at a time, so no widened copy of the
//! whole image is made.

use radsurv_image::Volume;
use rayon::prelude::*;

/// How a block stores the values a pass computes in `f64`.
pub(super) trait Sample: Copy + Default + Send + Sync {
    /// The stored value as computed with.
    fn widen(self) -> f64;
    /// The value as stored: exact when the filter already rounded it to this type.
    fn narrow(value: f64) -> Self;
}

impl Sample for f32 {
    fn widen(self) -> f64 {
        f64::from(self)
    }

    fn narrow(value: f64) -> f32 {
        value as f32
    }
}

impl Sample for f64 {
    fn widen(self) -> f64 {
        self
    }

    fn narrow(value: f64) -> f64 {
        value
    }
}

/// What a pass reads: a box of the image, row by row.
pub(super) trait Rows: Sync {
    /// Image index of the box's first voxel.
    fn lower(&self) -> [usize; 3];
    /// Box extent `[nx, ny, nz]`.
    fn size(&self) -> [usize; 3];
    /// The `out.len()` values from image position `p` on along x, widened to `f64`.
    fn read_row(&self, p: [usize; 3], out: &mut [f64]);
}

/// The whole image in its stored pixel type, read as the first pass's input.
pub(super) struct Image<'a>(pub &'a Volume);

impl Rows for Image<'_> {
    fn lower(&self) -> [usize; 3] {
        [0; 3]
    }

    fn size(&self) -> [usize; 3] {
        self.0.geometry().size
    }

    fn read_row(&self, p: [usize; 3], out: &mut [f64]) {
        let start = self.0.geometry().offset(p[0], p[1], p[2]);
        self.0.data().widen_row_f64(start, out);
    }
}

/// A box of the image with values, x fastest.
pub(super) struct Block<T> {
    pub lower: [usize; 3],
    pub size: [usize; 3],
    pub data: Vec<T>,
}

impl<T: Sample> Block<T> {
    /// A zero-filled block.
    pub fn empty(lower: [usize; 3], size: [usize; 3]) -> Block<T> {
        Block {
            lower,
            size,
            data: vec![T::default(); size.iter().product()],
        }
    }

    /// Linear index of image position `p` inside the block.
    pub fn index(&self, p: [usize; 3]) -> usize {
        (p[0] - self.lower[0])
            + self.size[0] * ((p[1] - self.lower[1]) + self.size[1] * (p[2] - self.lower[2]))
    }
}

impl<T: Sample> Rows for Block<T> {
    fn lower(&self) -> [usize; 3] {
        self.lower
    }

    fn size(&self) -> [usize; 3] {
        self.size
    }

    fn read_row(&self, p: [usize; 3], out: &mut [f64]) {
        let start = self.index(p);
        let row = &self.data[start..start + out.len()];
        for (o, &v) in out.iter_mut().zip(row) {
            *o = v.widen();
        }
    }
}

/// The buffers of spent blocks, kept so that the next pass writes into memory already in use
/// rather than fresh pages, which the kernel must clear first: a chain of passes over a large
/// image otherwise spends about as long clearing pages as filtering.
pub(super) struct Spare<T>(Vec<Vec<T>>);

impl<T> Default for Spare<T> {
    fn default() -> Self {
        Spare(Vec::new())
    }
}

impl<T: Sample> Spare<T> {
    /// A block over `lower`, `size` for a pass to overwrite: every value is written by the
    /// pass, so a reused buffer keeps whatever it held until then.
    pub fn block_to_overwrite(&mut self, lower: [usize; 3], size: [usize; 3]) -> Block<T> {
        let n = size.iter().product();
        let mut data = match self.0.pop() {
            Some(buffer) if buffer.capacity() >= n => buffer,
            _ => Vec::with_capacity(n),
        };
        data.truncate(n);
        data.resize(n, T::default());
        Block { lower, size, data }
    }

    /// Keeps a spent block's buffer for a later block.
    pub fn keep(&mut self, data: Vec<T>) {
        self.0.push(data);
    }
}

/// Lines filtered together, one per lane of a [`Lanes`] sample. A recursive filter is a chain of
/// dependent operations along its line; running independent lines side by side lets the
/// processor overlap the chains and the compiler use vector instructions. Every lane is computed
/// with the same operations in the same order as a line on its own, so the values do not change.
pub(super) const LANES: usize = 16;

/// One sample position of [`LANES`] lines.
pub(super) type Lanes = [f64; LANES];

/// Filters every line of `input` along `axis` that crosses `out` (whole lines: `input` must span
/// the image along `axis`) with `filter(lines, filtered)`, [`LANES`] lines at a time, and stores
/// the part inside `out`. When fewer lines remain, the last one fills the spare lanes. Groups of
/// lines run in parallel; each line's result does not depend on the others.
pub(super) fn filter_along<T: Sample>(
    input: &(impl Rows + ?Sized),
    out: Block<T>,
    axis: usize,
    filter: impl Fn(&[Lanes], &mut [Lanes]) + Sync,
) -> Block<T> {
    if axis == 0 {
        filter_rows(input, out, filter)
    } else {
        filter_across_rows(input, out, axis, filter)
    }
}

/// [`filter_along`] for x lines: each line is a row of `input`, and `LANES` consecutive rows of
/// `out` are filled from one group.
fn filter_rows<T: Sample>(
    input: &(impl Rows + ?Sized),
    mut out: Block<T>,
    filter: impl Fn(&[Lanes], &mut [Lanes]) + Sync,
) -> Block<T> {
    let len = input.size()[0];
    let width = out.size[0];
    let first = out.lower[0] - input.lower()[0];
    let (lower, ny) = (out.lower, out.size[1]);
    let buffers = || {
        (
            vec![0.0; len],
            vec![[0.0; LANES]; len],
            vec![[0.0; LANES]; len],
        )
    };
    out.data
        .par_chunks_mut(width * LANES)
        .enumerate()
        .for_each_init(buffers, |(row, lines, filtered), (group, rows)| {
            let count = rows.len() / width;
            for lane in 0..LANES {
                let r = group * LANES + lane.min(count - 1);
                input.read_row(
                    [input.lower()[0], lower[1] + r % ny, lower[2] + r / ny],
                    row,
                );
                for (v, &x) in lines.iter_mut().zip(row.iter()) {
                    v[lane] = x;
                }
            }
            filter(lines, filtered);
            for (lane, out_row) in rows.chunks_exact_mut(width).enumerate() {
                for (x, v) in out_row.iter_mut().enumerate() {
                    *v = T::narrow(filtered[first + x][lane]);
                }
            }
        });
    out
}

/// [`filter_along`] for y or z lines: the lines of one plane (fixed z for y lines, fixed y for z
/// lines) are gathered together, reading whole x rows, so the image is read in memory order;
/// neighbouring x positions then share a group. Each plane's kept values are first stored in a
/// plane-sized buffer, row after row, then copied to its rows of `out` one whole row at a time
/// (handed to it as disjoint row slices, also for z lines, whose rows are a y plane apart):
/// storing a group's few values straight into every kept row would touch as many distant
/// memory lines per group as rows are kept. Every task reuses its buffers from plane to plane.
fn filter_across_rows<T: Sample>(
    input: &(impl Rows + ?Sized),
    mut out: Block<T>,
    axis: usize,
    filter: impl Fn(&[Lanes], &mut [Lanes]) + Sync,
) -> Block<T> {
    let other = 3 - axis; // the third axis: z for y lines, y for z lines
    let len = input.size()[axis];
    let width = out.size[0];
    let first = out.lower[axis] - input.lower()[axis];
    let (kept, ny) = (out.size[axis], out.size[1]);
    // the kept rows of each plane, in order along `axis`
    let mut planes: Vec<Vec<&mut [T]>> = (0..out.size[other])
        .map(|_| Vec::with_capacity(kept))
        .collect();
    for (r, row) in out.data.chunks_exact_mut(width.max(1)).enumerate() {
        let plane = if axis == 1 { r / kept } else { r % ny };
        planes[plane].push(row);
    }
    let buffers = || {
        (
            vec![0.0; len * width],
            vec![[0.0; LANES]; len],
            vec![[0.0; LANES]; len],
            vec![T::default(); kept * width],
        )
    };
    planes.par_iter_mut().enumerate().for_each_init(
        buffers,
        |(rows, lines, filtered, plane_out), (j, kept_rows)| {
            for (k, row) in rows.chunks_exact_mut(width.max(1)).enumerate() {
                let mut p = [out.lower[0], 0, 0];
                p[axis] = input.lower()[axis] + k;
                p[other] = out.lower[other] + j;
                input.read_row(p, row);
            }
            for x0 in (0..width).step_by(LANES) {
                let count = LANES.min(width - x0);
                for (k, v) in lines.iter_mut().enumerate() {
                    let row = &rows[k * width + x0..k * width + x0 + count];
                    if count == LANES {
                        v.copy_from_slice(row);
                    } else {
                        for (lane, slot) in v.iter_mut().enumerate() {
                            *slot = row[lane.min(count - 1)];
                        }
                    }
                }
                filter(lines, filtered);
                for (k, row) in plane_out.chunks_exact_mut(width.max(1)).enumerate() {
                    for (o, &v) in row[x0..x0 + count].iter_mut().zip(&filtered[first + k]) {
                        *o = T::narrow(v);
                    }
                }
            }
            for (row, values) in kept_rows
                .iter_mut()
                .zip(plane_out.chunks_exact(width.max(1)))
            {
                row.copy_from_slice(values);
            }
        },
    );
    out
}
