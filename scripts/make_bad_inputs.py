#!/usr/bin/env python3
"""Writes the small malformed files of crates/radsurv-image/tests/bad_inputs/ (one per case).

Run from the repository root: python3 scripts/make_bad_inputs.py. Standard library only.
"""
import gzip
import os
import struct

OUT = os.path.join("crates", "radsurv-image", "tests", "bad_inputs")


def nrrd_header(type_="short", sizes=(4, 4, 2), encoding="raw", extra=""):
    return (
        "NRRD0004\n"
        f"type: {type_}\ndimension: 3\nspace: left-posterior-superior\n"
        f"sizes: {' '.join(map(str, sizes))}\n"
        "space directions: (1,0,0) (0,1,0) (0,0,2)\nkinds: domain domain domain\n"
        f"endian: little\nencoding: {encoding}\nspace origin: (0,0,0)\n{extra}\n"
    ).encode()


def labels(values, sizes=(4, 4, 2), origin="(0,0,0)"):
    head = nrrd_header("unsigned char", sizes).replace(b"space origin: (0,0,0)", f"space origin: {origin}".encode())
    return head + bytes(values)


def nifti_header(dims, datatype=4, bitpix=16):
    h = bytearray(348)
    struct.pack_into("<i", h, 0, 348)
    struct.pack_into("<8h", h, 40, *dims)
    struct.pack_into("<hh", h, 70, datatype, bitpix)
    struct.pack_into("<8f", h, 76, 1, 1, 1, 1, 1, 1, 1, 1)
    struct.pack_into("<f", h, 108, 352.0)
    struct.pack_into("<f", h, 112, 1.0)
    h[344:348] = b"n+1\0"
    return bytes(h) + b"\0\0\0\0"


FILES = {
    "empty.nrrd": b"",
    "not_a_nrrd.nrrd": b"hello, this is not an image\n",
    "truncated.nrrd": nrrd_header() + b"\x01\x00" * 10,
    "corrupt_gzip.nrrd": nrrd_header(encoding="gzip") + b"\x1f\x8b\x08\x00garbage-not-deflate" * 3,
    "truncated_gzip.nrrd": nrrd_header(encoding="gzip") + gzip.compress(b"\x01\x00" * 32)[:-12],
    "unsupported_type.nrrd": nrrd_header(type_="block", extra="block size: 4\n") + b"\0" * 128,
    "unsupported_encoding.nrrd": nrrd_header(encoding="bzip2") + b"BZh9",
    "too_many_voxels.nrrd": nrrd_header(sizes=(100000, 100000, 100000)) + b"\0" * 16,
    "bad_header_line.nrrd": b"NRRD0004\ntype short\n\n",
    "missing_sizes.nrrd": b"NRRD0004\ntype: short\ndimension: 3\nencoding: raw\n\n",
    "four_d.nii": nifti_header([4, 2, 2, 2, 3, 1, 1, 1]) + b"\0" * 48,
    "truncated.nii": nifti_header([3, 8, 8, 8, 1, 1, 1, 1]) + b"\0" * 100,
    "unsupported_datatype.nii": nifti_header([3, 2, 2, 2, 1, 1, 1, 1], datatype=128, bitpix=24) + b"\0" * 24,
    "corrupt.nii.gz": b"\x1f\x8b\x08\x00not really gzip at all",
    "unsupported_extension.txt": b"1 2 3\n",
    "image.nrrd": nrrd_header() + b"\x01\x00" * 32,
    "mask_shifted.nrrd": labels([1] * 32, origin="(0.5,0,0)"),
    "mask_without_label_1.nrrd": labels([0] * 30 + [2, 2]),
    "mask_empty.nrrd": labels([0] * 32),
}

if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for name, content in FILES.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(content)
    os.makedirs(os.path.join(OUT, "no_dicom"), exist_ok=True)
    with open(os.path.join(OUT, "no_dicom", "notes.txt"), "w") as f:
        f.write("a folder without any DICOM file\n")
    print(f"wrote {len(FILES)} files to {OUT}")
