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
    macro_rules! decode_as {
        ($t:ty, $variant:ident) => {{
            const N: usize = std::mem::size_of::<$t>();
            let values = bytes[..count * N]
                .chunks_exact(N)
                .map(|c| {
                    let mut b = [0u8; N];
                    b.copy_from_slice(c);
                    if big_endian {
                        <$t>::from_be_bytes(b)
                    } else {
                        <$t>::from_le_bytes(b)
                    }
                })
                .collect();
            VoxelData::$variant(values)
        }};
    }
    match pixel_type {
        PixelType::U8 => VoxelData::U8(bytes[..count].to_vec()),
        PixelType::I8 => VoxelData::I8(bytes[..count].iter().map(|&b| b as i8).collect()),
        PixelType::U16 => decode_as!(u16, U16),
        PixelType::I16 => decode_as!(i16, I16),
        PixelType::U32 => decode_as!(u32, U32),
        PixelType::I32 => decode_as!(i32, I32),
        PixelType::U64 => decode_as!(u64, U64),
        PixelType::I64 => decode_as!(i64, I64),
        PixelType::F32 => decode_as!(f32, F32),
        PixelType::F64 => decode_as!(f64, F64),
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
