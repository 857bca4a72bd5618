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
    pub fn empty(lower: [usize; 3], size: [usize; 3]) -> Block {
        Block {
            lower,
            size,
            data: vec![0.0; size.iter().product()],
        }
    }

    pub fn index(&self, p: [usize; 3]) -> usize {
        (p[0] - self.lower[0])
            + self.size[0] * ((p[1] - self.lower[1]) + self.size[1] * (p[2] - self.lower[2]))
    }

    pub fn stride(&self, axis: usize) -> usize {
        self.size[..axis].iter().product()
    }
}

/// Filters every line of `input` along `axis` that crosses `out` (whole lines: `input` must span
/// the image along `axis`) with `filter(line, filtered)`, and stores the part inside `out`.
/// Lines run in parallel; each line's result does not depend on the others.
pub(super) fn filter_along(
    input: &Block,
    mut out: Block,
    axis: usize,
    filter: impl Fn(&[f64], &mut [f64]) + Sync,
) -> Block {
    if axis != 0 {
        return filter_across_rows(input, out, axis, filter);
    }
    let line_len = input.size[axis];
    let (a1, a2) = match axis {
        0 => (1, 2),
        1 => (0, 2),
        _ => (0, 1),
    };
    let starts: Vec<[usize; 3]> = (0..out.size[a2])
        .flat_map(|j| (0..out.size[a1]).map(move |i| (i, j)))
        .map(|(i, j)| {
            let mut p = [0; 3];
            p[a1] = out.lower[a1] + i;
            p[a2] = out.lower[a2] + j;
            p[axis] = input.lower[axis];
            p
        })
        .collect();
    let in_stride = input.stride(axis);
    let first = out.lower[axis] - input.lower[axis];
    let keep = first..first + out.size[axis];
    let lines: Vec<Vec<f64>> = starts
        .par_iter()
        .map_init(
            || (vec![0.0; line_len], vec![0.0; line_len]),
            |(data, filtered), &start| {
                let base = input.index(start);
                for (k, v) in data.iter_mut().enumerate() {
                    *v = input.data[base + k * in_stride];
                }
                filter(data, filtered);
                filtered[keep.clone()].to_vec()
            },
        )
        .collect();
    let out_stride = out.stride(axis);
    for (start, line) in starts.iter().zip(lines) {
        let mut p = *start;
        p[axis] = out.lower[axis];
        let base = out.index(p);
        for (k, v) in line.into_iter().enumerate() {
            out.data[base + k * out_stride] = v;
        }
    }
    out
}

/// [`filter_along`] for y or z lines: the lines of one plane (fixed z for y lines, fixed y for z
/// lines) are gathered together, reading whole x rows, so the image is read in memory order;
/// each line is then filtered on its own exactly as [`filter_along`] would.
fn filter_across_rows(
    input: &Block,
    mut out: Block,
    axis: usize,
    filter: impl Fn(&[f64], &mut [f64]) + Sync,
) -> Block {
    let other = 3 - axis; // the third axis: z for y lines, y for z lines
    let len = input.size[axis];
    let width = out.size[0];
    let first = out.lower[axis] - input.lower[axis];
    let kept = out.size[axis];
    let planes: Vec<Vec<f64>> = (0..out.size[other])
        .into_par_iter()
        .map(|j| {
            let mut rows = vec![0.0; len * width];
            for k in 0..len {
                let mut p = [out.lower[0], 0, 0];
                p[axis] = input.lower[axis] + k;
                p[other] = out.lower[other] + j;
                let base = input.index(p);
                rows[k * width..(k + 1) * width].copy_from_slice(&input.data[base..base + width]);
            }
            let (mut line, mut filtered) = (vec![0.0; len], vec![0.0; len]);
            let mut kept_rows = vec![0.0; kept * width];
            for x in 0..width {
                for (k, v) in line.iter_mut().enumerate() {
                    *v = rows[k * width + x];
                }
                filter(&line, &mut filtered);
                for k in 0..kept {
                    kept_rows[k * width + x] = filtered[first + k];
                }
            }
            kept_rows
        })
        .collect();
    for (j, kept_rows) in planes.into_iter().enumerate() {
        for k in 0..kept {
            let mut p = out.lower;
            p[axis] = out.lower[axis] + k;
            p[other] = out.lower[other] + j;
            let base = out.index(p);
            out.data[base..base + width].copy_from_slice(&kept_rows[k * width..(k + 1) * width]);
        }
    }
    out
}
