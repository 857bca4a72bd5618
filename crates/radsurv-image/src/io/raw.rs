//! Decoding and encoding packed scalar voxel bytes, shared by the NRRD, NIfTI and DICOM code.

use crate::{PixelType, VoxelData};

/// Bytes one value of `pixel_type` occupies.
pub(crate) fn bytes_per_value(pixel_type: PixelType) -> usize {
    match pixel_type {
        PixelType::U8 | PixelType::I8 => 1,
        PixelType::U16 | PixelType::I16 => 2,
        PixelType::U32 | PixelType::I32 | PixelType::F32 => 4,
        PixelType::U64 | PixelType::I64 | PixelType::F64 => 8,
    }
}

/// Decodes `count` packed values; `bytes` must hold at least `count * bytes_per_value` bytes.
pub(crate) fn decode(
    bytes: &[u8],
    pixel_type: PixelType,
    big_endian: bool,
    count: usize,
) -> VoxelData {
    let mut data = zeroed(pixel_type, count);
    let target = bytes_mut(&mut data);
    let len = target.len();
    target.copy_from_slice(&bytes[..len]);
    to_native_endian(&mut data, big_endian);
    data
}

/// `count` zeros of `pixel_type`, to be filled through [`bytes_mut`].
pub(crate) fn zeroed(pixel_type: PixelType, count: usize) -> VoxelData {
    match pixel_type {
        PixelType::U8 => VoxelData::U8(vec![0; count]),
        PixelType::I8 => VoxelData::I8(vec![0; count]),
        PixelType::U16 => VoxelData::U16(vec![0; count]),
        PixelType::I16 => VoxelData::I16(vec![0; count]),
        PixelType::U32 => VoxelData::U32(vec![0; count]),
        PixelType::I32 => VoxelData::I32(vec![0; count]),
        PixelType::U64 => VoxelData::U64(vec![0; count]),
        PixelType::I64 => VoxelData::I64(vec![0; count]),
        PixelType::F32 => VoxelData::F32(vec![0.0; count]),
        PixelType::F64 => VoxelData::F64(vec![0.0; count]),
    }
}

/// The values' memory as bytes, so a decoder can write packed values straight into it (every
/// pixel type is plain old data).
pub(crate) fn bytes_mut(data: &mut VoxelData) -> &mut [u8] {
    match data {
        VoxelData::U8(v) => v,
        VoxelData::I8(v) => bytemuck::cast_slice_mut(v),
        VoxelData::U16(v) => bytemuck::cast_slice_mut(v),
        VoxelData::I16(v) => bytemuck::cast_slice_mut(v),
        VoxelData::U32(v) => bytemuck::cast_slice_mut(v),
        VoxelData::I32(v) => bytemuck::cast_slice_mut(v),
        VoxelData::U64(v) => bytemuck::cast_slice_mut(v),
        VoxelData::I64(v) => bytemuck::cast_slice_mut(v),
        VoxelData::F32(v) => bytemuck::cast_slice_mut(v),
        VoxelData::F64(v) => bytemuck::cast_slice_mut(v),
    }
}

/// Reorders each value's bytes when the file's byte order is not the machine's.
pub(crate) fn to_native_endian(data: &mut VoxelData, big_endian: bool) {
    let width = bytes_per_value(data.pixel_type());
    if width > 1 && big_endian != cfg!(target_endian = "big") {
        for value in bytes_mut(data).chunks_exact_mut(width) {
            value.reverse();
        }
    }
}

/// Packs every value little-endian.
pub(crate) fn encode_le(data: &VoxelData) -> Vec<u8> {
    macro_rules! encode_as {
        ($v:expr) => {
            $v.iter().flat_map(|x| x.to_le_bytes()).collect()
        };
    }
    match data {
        VoxelData::U8(v) => v.clone(),
        VoxelData::I8(v) => encode_as!(v),
        VoxelData::U16(v) => encode_as!(v),
        VoxelData::I16(v) => encode_as!(v),
        VoxelData::U32(v) => encode_as!(v),
        VoxelData::I32(v) => encode_as!(v),
        VoxelData::U64(v) => encode_as!(v),
        VoxelData::I64(v) => encode_as!(v),
        VoxelData::F32(v) => encode_as!(v),
        VoxelData::F64(v) => encode_as!(v),
    }
}

/// Parses whitespace-separated numbers (NRRD `ascii` encoding) into `pixel_type` values.
///
/// Returns the first token that does not parse when the text is not valid.
pub(crate) fn parse_ascii(
    text: &str,
    pixel_type: PixelType,
    count: usize,
) -> Result<VoxelData, String> {
    let mut tokens = text.split_ascii_whitespace().take(count);
    macro_rules! parse_as {
        ($t:ty, $variant:ident) => {{
            let mut values = Vec::with_capacity(count);
            for tok in tokens.by_ref() {
                values.push(tok.parse::<$t>().map_err(|_| tok.to_string())?);
            }
            VoxelData::$variant(values)
        }};
    }
    Ok(match pixel_type {
        PixelType::U8 => parse_as!(u8, U8),
        PixelType::I8 => parse_as!(i8, I8),
        PixelType::U16 => parse_as!(u16, U16),
        PixelType::I16 => parse_as!(i16, I16),
        PixelType::U32 => parse_as!(u32, U32),
        PixelType::I32 => parse_as!(i32, I32),
        PixelType::U64 => parse_as!(u64, U64),
        PixelType::I64 => parse_as!(i64, I64),
        PixelType::F32 => parse_as!(f32, F32),
        PixelType::F64 => parse_as!(f64, F64),
    })
}
