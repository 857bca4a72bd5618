//! Separable line filters on boxes of the image: a pass along one axis reads whole lines of
//! its input box and keeps the part of each filtered line that the output box needs.

use rayon::prelude::*;

/// A box of the image with values, x fastest.
pub(super) struct Block {
    pub lower: [usize; 3],
    pub size: [usize; 3],
    pub data: Vec<f64>,
}

impl Block {
    /// A zero-filled block.
    pub fn empty(lower: [usize; 3], size: [usize; 3]) -> Block {
        Block {
            lower,
            size,
            data: vec![0.0; size.iter().product()],
        }
    }

    /// Linear index of image position `p` inside the block.
    pub fn index(&self, p: [usize; 3]) -> usize {
        (p[0] - self.lower[0])
            + self.size[0] * ((p[1] - self.lower[1]) + self.size[1] * (p[2] - self.lower[2]))
    }
}

/// The buffers of spent blocks, kept so that the next pass writes into memory already in use
/// rather than fresh pages, which the kernel must clear first: a chain of passes over a large
/// image otherwise spends about as long clearing pages as filtering.
#[derive(Default)]
pub(super) struct Spare(Vec<Vec<f64>>);

impl Spare {
    /// A block over `lower`, `size` for a pass to overwrite: every value is written by the
    /// pass, so a reused buffer keeps whatever it held until then.
    pub fn block_to_overwrite(&mut self, lower: [usize; 3], size: [usize; 3]) -> Block {
        let n = size.iter().product();
        let mut data = match self.0.pop() {
            Some(buffer) if buffer.capacity() >= n => buffer,
            _ => Vec::with_capacity(n),
        };
        data.truncate(n);
        data.resize(n, 0.0);
        Block { lower, size, data }
    }

    /// Keeps a spent block's buffer for a later block.
    pub fn keep(&mut self, data: Vec<f64>) {
        self.0.push(data);
    }
}

/// Lines filtered together, one per lane of a [`Lanes`] sample. A recursive filter is a chain of
/// dependent operations along its line; running independent lines side by side lets the
/// processor overlap the chains and the compiler use vector instructions. Every lane is computed
/// with the same operations in the same order as a line on its own, so the values do not change.
pub(super) const LANES: usize = 8;

/// One sample position of [`LANES`] lines.
pub(super) type Lanes = [f64; LANES];

/// Filters every line of `input` along `axis` that crosses `out` (whole lines: `input` must span
/// the image along `axis`) with `filter(lines, filtered)`, [`LANES`] lines at a time, and stores
/// the part inside `out`. When fewer lines remain, the last one fills the spare lanes. Groups of
/// lines run in parallel; each line's result does not depend on the others.
pub(super) fn filter_along(
    input: &Block,
    out: Block,
    axis: usize,
    filter: impl Fn(&[Lanes], &mut [Lanes]) + Sync,
) -> Block {
    if axis == 0 {
        filter_rows(input, out, filter)
    } else {
        filter_across_rows(input, out, axis, filter)
    }
}

/// [`filter_along`] for x lines: each line is a row of `input`, and `LANES` consecutive rows of
/// `out` are filled from one group.
fn filter_rows(
    input: &Block,
    mut out: Block,
    filter: impl Fn(&[Lanes], &mut [Lanes]) + Sync,
) -> Block {
    let len = input.size[0];
    let width = out.size[0];
    let first = out.lower[0] - input.lower[0];
    let (lower, ny) = (out.lower, out.size[1]);
    out.data
        .par_chunks_mut(width * LANES)
        .enumerate()
        .for_each_init(
            || (vec![[0.0; LANES]; len], vec![[0.0; LANES]; len]),
            |(lines, filtered), (group, rows)| {
                let count = rows.len() / width;
                for lane in 0..LANES {
                    let row = group * LANES + lane.min(count - 1);
                    let base =
                        input.index([input.lower[0], lower[1] + row % ny, lower[2] + row / ny]);
                    for (k, v) in lines.iter_mut().enumerate() {
                        v[lane] = input.data[base + k];
                    }
                }
                filter(lines, filtered);
                for (lane, row) in rows.chunks_exact_mut(width).enumerate() {
                    for (x, v) in row.iter_mut().enumerate() {
                        *v = filtered[first + x][lane];
                    }
                }
            },
        );
    out
}

/// [`filter_along`] for y or z lines: the lines of one plane (fixed z for y lines, fixed y for z
/// lines) are gathered together, reading whole x rows, so the image is read in memory order;
/// neighbouring x positions then share a group. Each plane writes its kept rows of `out` in
/// place (handed to it as disjoint row slices, also for z lines, whose rows are a y plane
/// apart), and every task reuses its gathering buffers from plane to plane.
fn filter_across_rows(
    input: &Block,
    mut out: Block,
    axis: usize,
    filter: impl Fn(&[Lanes], &mut [Lanes]) + Sync,
) -> Block {
    let other = 3 - axis; // the third axis: z for y lines, y for z lines
    let len = input.size[axis];
    let width = out.size[0];
    let first = out.lower[axis] - input.lower[axis];
    let (kept, ny) = (out.size[axis], out.size[1]);
    // the kept rows of each plane, in order along `axis`
    let mut planes: Vec<Vec<&mut [f64]>> = (0..out.size[other])
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
        )
    };
    planes.par_iter_mut().enumerate().for_each_init(
        buffers,
        |(rows, lines, filtered), (j, kept_rows)| {
            for k in 0..len {
                let mut p = [out.lower[0], 0, 0];
                p[axis] = input.lower[axis] + k;
                p[other] = out.lower[other] + j;
                let base = input.index(p);
                rows[k * width..(k + 1) * width].copy_from_slice(&input.data[base..base + width]);
            }
            for x0 in (0..width).step_by(LANES) {
                let count = LANES.min(width - x0);
                for (k, v) in lines.iter_mut().enumerate() {
                    let row = &rows[k * width + x0..k * width + x0 + count];
                    for (lane, slot) in v.iter_mut().enumerate() {
                        *slot = row[lane.min(count - 1)];
                    }
                }
                filter(lines, filtered);
                for (k, row) in kept_rows.iter_mut().enumerate() {
                    row[x0..x0 + count].copy_from_slice(&filtered[first + k][..count]);
                }
            }
        },
    );
    out
}
