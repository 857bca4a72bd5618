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
