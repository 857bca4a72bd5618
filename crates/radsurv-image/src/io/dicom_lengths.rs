//! Every defined value length a DICOM file declares, checked against the bytes left in it
//! before dicom-rs parses it.
//!
//! dicom-rs allocates and zero-fills a value's declared length before it reads the value, so a
//! small corrupt file declaring a value of gigabytes would allocate gigabytes. A defined length
//! longer than the rest of the file is an error here instead, naming the element.
//!
//! # Walk
//! The file meta group is explicit VR little endian and as long as its (0002,0000) element says;
//! the data set is read in its transfer syntax (implicit or explicit VR, little or big endian; a
//! deflated data set is not walked). Sequences and their items are entered, so nested lengths
//! are checked too; the fragments of encapsulated pixel data are skipped whole. An explicit VR
//! code that is not two capital letters is refused (dicom-rs would read it with a length this
//! walk cannot know). Where the walk cannot tell what follows (no `DICM` magic, a value of
//! unknown VR and undefined length) it stops and leaves the rest to dicom-rs.

use std::path::Path;

use dicom_core::dictionary::{DataDictionary, DataDictionaryEntry, VirtualVr};
use dicom_core::{Tag, VR};
use dicom_dictionary_std::StandardDataDictionary;

use crate::error::malformed;
use crate::Result;

const MAGIC: &[u8] = b"DICM";
const PREAMBLE: usize = 128;
const UNDEFINED: u32 = u32::MAX;
const META_GROUP: u16 = 0x0002;
const TRANSFER_SYNTAX: (u16, u16) = (0x0002, 0x0010);
const DELIMITER_GROUP: u16 = 0xFFFE;
const ITEM: u16 = 0xE000;
const ITEM_END: u16 = 0xE00D;
const SEQUENCE_END: u16 = 0xE0DD;
const PIXEL_DATA: (u16, u16) = (0x7FE0, 0x0010);
const IMPLICIT_LITTLE: &str = "1.2.840.10008.1.2";
const EXPLICIT_BIG: &str = "1.2.840.10008.1.2.2";
const DEFLATED: &[&str] = &["1.2.840.10008.1.2.1.99", "1.2.840.10008.1.2.8.1"];

/// Explicit-VR codes whose length field has two bytes. Every other code has two reserved bytes
/// and a four-byte length: dicom-rs reads a code it does not know as UN, which has.
const SHORT_LENGTH_VRS: &[&[u8; 2]] = &[
    b"AE", b"AS", b"AT", b"CS", b"DA", b"DS", b"DT", b"FL", b"FD", b"IS", b"LO", b"LT", b"PN",
    b"SH", b"SL", b"SS", b"ST", b"TM", b"UI", b"UL", b"US",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    ExplicitLittle,
    ImplicitLittle,
    ExplicitBig,
}

/// One element header: tag, VR code when explicit, declared length and header size.
struct Header {
    tag: (u16, u16),
    vr: Option<[u8; 2]>,
    length: u32,
    size: usize,
}

/// Checks every defined length `bytes` declares against the bytes that follow it.
///
/// # Errors
/// [`crate::ImageError::Malformed`] naming `path` and the element whose declared length runs
/// past the end of the file.
pub(crate) fn check(bytes: &[u8], path: &Path) -> Result<()> {
    let start = if bytes.get(PREAMBLE..PREAMBLE + MAGIC.len()) == Some(MAGIC) {
        PREAMBLE + MAGIC.len()
    } else if bytes.starts_with(MAGIC) {
        MAGIC.len()
    } else {
        return Ok(());
    };
    let mut walk = Walk {
        bytes,
        path,
        position: start,
        encoding: Encoding::ExplicitLittle,
        in_fragments: false,
    };
    let Some(transfer_syntax) = walk.meta_group()? else {
        return Ok(());
    };
    walk.encoding = match transfer_syntax.as_str() {
        IMPLICIT_LITTLE => Encoding::ImplicitLittle,
        EXPLICIT_BIG => Encoding::ExplicitBig,
        ts if DEFLATED.contains(&ts) => return Ok(()),
        _ => Encoding::ExplicitLittle,
    };
    walk.data_set()
}

struct Walk<'a> {
    bytes: &'a [u8],
    path: &'a Path,
    position: usize,
    encoding: Encoding,
    in_fragments: bool,
}

impl Walk<'_> {
    /// Walks the meta group as dicom-rs reads it and returns its transfer syntax UID; `None`
    /// when the walk stops. dicom-rs takes the group's length from its first element,
    /// (0002,0000), and reads every element until that many bytes are consumed as part of the
    /// group, whatever group the element's tag names; a file it would refuse (no group length,
    /// an undefined length, no transfer syntax) stops the walk, as dicom-rs will not read on.
    fn meta_group(&mut self) -> Result<Option<String>> {
        let Some(group_length) = self.meta_group_length() else {
            return Ok(None);
        };
        let mut transfer_syntax = None;
        let mut consumed = 0u64;
        while consumed < u64::from(group_length) {
            let Some(header) = self.header() else {
                return Ok(None);
            };
            self.check_vr(&header)?;
            self.position += header.size;
            if header.length == UNDEFINED {
                return Ok(None);
            }
            let value = self.value(&header)?;
            let length = value.len();
            if header.tag == TRANSFER_SYNTAX {
                let text = String::from_utf8_lossy(value);
                transfer_syntax = Some(text.trim_matches(['\0', ' ']).to_string());
            }
            self.position += length;
            consumed += (header.size + length) as u64;
        }
        Ok(transfer_syntax)
    }

    /// The value of the (0002,0000) element at the current position, stepping past it; `None`
    /// when the meta group does not start with it.
    fn meta_group_length(&mut self) -> Option<u32> {
        let header = self.header()?;
        if header.tag != (META_GROUP, 0x0000) || header.length != 4 {
            return None;
        }
        let length = self.u32_at(self.position + header.size)?;
        self.position += header.size + 4;
        Some(length)
    }

    fn data_set(&mut self) -> Result<()> {
        while self.position < self.bytes.len() {
            let Some(header) = self.header() else {
                return Ok(());
            };
            self.check_vr(&header)?;
            self.position += header.size;
            if header.tag.0 == DELIMITER_GROUP {
                self.delimiter(&header)?;
                continue;
            }
            if header.length == UNDEFINED {
                if header.tag == PIXEL_DATA {
                    self.in_fragments = true;
                } else if header.vr.is_some_and(read_as_unknown) {
                    // Its content is implicit VR whatever the transfer syntax: stop here.
                    return Ok(());
                }
                continue; // a sequence: its items follow
            }
            let length = self.value(&header)?.len();
            if !self.is_sequence(&header) {
                self.position += length;
            }
        }
        Ok(())
    }

    /// An item enters its content (a fragment is skipped); a sequence delimiter ends the
    /// fragments of encapsulated pixel data. Any other (FFFE,xxxx) tag is no delimiter: dicom-rs
    /// reads its declared length as a value, so that length is checked and skipped.
    fn delimiter(&mut self, header: &Header) -> Result<()> {
        match header.tag.1 {
            ITEM if header.length != UNDEFINED => {
                let length = self.value(header)?.len();
                if self.in_fragments {
                    self.position += length;
                }
            }
            SEQUENCE_END => self.in_fragments = false,
            ITEM | ITEM_END => {}
            _ if header.length != UNDEFINED => {
                let length = self.value(header)?.len();
                self.position += length;
            }
            _ => {}
        }
        Ok(())
    }

    /// An explicit VR must be two capital letters: dicom-rs reads any other code with a length
    /// this walk cannot know, so the file is refused here.
    fn check_vr(&self, header: &Header) -> Result<()> {
        match header.vr {
            Some(vr) if !vr.iter().all(u8::is_ascii_uppercase) => Err(malformed(
                self.path,
                format!(
                    "not a complete DICOM file (truncated or corrupt): element ({:04X},{:04X}) \
                     has no valid value representation",
                    header.tag.0, header.tag.1
                ),
            )),
            _ => Ok(()),
        }
    }

    fn is_sequence(&self, header: &Header) -> bool {
        match header.vr {
            Some(vr) => &vr == b"SQ",
            None => StandardDataDictionary
                .by_tag(Tag(header.tag.0, header.tag.1))
                .is_some_and(|entry| entry.vr() == VirtualVr::Exact(VR::SQ)),
        }
    }

    /// The value `header` declares at the current position, if the file holds it whole.
    fn value(&self, header: &Header) -> Result<&[u8]> {
        let left = self.bytes.len() - self.position;
        let declared = header.length as usize;
        if declared > left {
            return Err(malformed(
                self.path,
                format!(
                    "not a complete DICOM file (truncated or corrupt): element ({:04X},{:04X}) \
                     declares {declared} bytes but only {left} follow",
                    header.tag.0, header.tag.1
                ),
            ));
        }
        Ok(&self.bytes[self.position..self.position + declared])
    }

    /// The element header at the current position; `None` when it is cut short.
    fn header(&self) -> Option<Header> {
        let at = self.position;
        let tag = (self.u16_at(at)?, self.u16_at(at + 2)?);
        let explicit = self.encoding != Encoding::ImplicitLittle;
        if tag.0 == DELIMITER_GROUP || !explicit {
            return Some(Header {
                tag,
                vr: None,
                length: self.u32_at(at + 4)?,
                size: 8,
            });
        }
        let vr: [u8; 2] = self.bytes.get(at + 4..at + 6)?.try_into().ok()?;
        let (length, size) = if SHORT_LENGTH_VRS.contains(&&vr) {
            (u32::from(self.u16_at(at + 6)?), 8)
        } else {
            (self.u32_at(at + 8)?, 12)
        };
        Some(Header {
            tag,
            vr: Some(vr),
            length,
            size,
        })
    }

    fn u16_at(&self, at: usize) -> Option<u16> {
        let raw: [u8; 2] = self.bytes.get(at..at + 2)?.try_into().ok()?;
        Some(match self.encoding {
            Encoding::ExplicitBig => u16::from_be_bytes(raw),
            _ => u16::from_le_bytes(raw),
        })
    }

    fn u32_at(&self, at: usize) -> Option<u32> {
        let raw: [u8; 4] = self.bytes.get(at..at + 4)?.try_into().ok()?;
        Some(match self.encoding {
            Encoding::ExplicitBig => u32::from_be_bytes(raw),
            _ => u32::from_le_bytes(raw),
        })
    }
}

/// UN, or a code dicom-rs does not know and so reads as UN.
fn read_as_unknown(vr: [u8; 2]) -> bool {
    VR::from_binary(vr).is_none_or(|vr| vr == VR::UN)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A meta group with the explicit little-endian transfer syntax, then `data_set`.
    fn file(data_set: &[u8]) -> Vec<u8> {
        file_with_meta_tag(0x0002, data_set)
    }

    /// As [`file`], the transfer syntax element preceded by an element of group `group`.
    fn file_with_meta_tag(group: u16, data_set: &[u8]) -> Vec<u8> {
        let uid = b"1.2.840.10008.1.2.1\0";
        let mut meta = group.to_le_bytes().to_vec();
        meta.extend([0x01, 0x00, b'O', b'B', 0, 0, 2, 0, 0, 0, 0, 1]);
        meta.extend([0x02, 0x00, 0x10, 0x00, b'U', b'I']);
        meta.extend((uid.len() as u16).to_le_bytes());
        meta.extend(uid);
        let mut bytes = vec![0; PREAMBLE];
        bytes.extend(MAGIC);
        bytes.extend([0x02, 0x00, 0x00, 0x00, b'U', b'L', 4, 0]);
        bytes.extend((meta.len() as u32).to_le_bytes());
        bytes.extend(meta);
        bytes.extend(data_set);
        bytes
    }

    /// An explicit little-endian OB element of `declared` bytes holding `held` bytes.
    fn ob(declared: u32, held: usize) -> Vec<u8> {
        let mut bytes = vec![0x09, 0x00, 0x10, 0x00, b'O', b'B', 0, 0];
        bytes.extend(declared.to_le_bytes());
        bytes.extend(vec![7; held]);
        bytes
    }

    #[test]
    fn a_length_past_the_end_is_refused_naming_the_element() {
        let path = Path::new("x.dcm");
        assert!(check(&file(&ob(4, 4)), path).is_ok());
        let message = check(&file(&ob(u32::MAX - 1, 4)), path)
            .unwrap_err()
            .to_string();
        assert!(message.contains("(0009,0010) declares 4294967294 bytes but only 4"));
    }

    #[test]
    fn the_meta_group_ends_where_its_group_length_says_whatever_its_tags() {
        let path = Path::new("x.dcm");
        let corrupt = file_with_meta_tag(0x0200, &ob(u32::MAX - 1, 4));
        assert!(check(&corrupt, path).is_err());
        assert!(check(&file_with_meta_tag(0x0200, &ob(4, 4)), path).is_ok());
    }

    #[test]
    fn a_tag_of_the_delimiter_group_that_is_no_delimiter_has_its_length_checked() {
        let mut element = vec![0xFE, 0xFF, 0x49, 0x53];
        element.extend((1u32 << 30).to_le_bytes());
        element.extend([0; 8]);
        assert!(check(&file(&element), Path::new("x.dcm")).is_err());
    }

    #[test]
    fn an_unknown_vr_code_has_a_four_byte_length_as_dicom_rs_reads_it() {
        let mut element = vec![0x09, 0x00, 0x10, 0x00, b'Z', b'Z', 0, 0];
        element.extend((1u32 << 30).to_le_bytes());
        element.extend([0; 8]);
        assert!(check(&file(&element), Path::new("x.dcm")).is_err());
    }

    #[test]
    fn lengths_inside_sequence_items_are_checked() {
        let inner = ob(1 << 30, 2);
        let mut item = vec![0xFE, 0xFF, 0x00, 0xE0];
        item.extend((inner.len() as u32).to_le_bytes());
        item.extend(&inner);
        let mut sequence = vec![0x08, 0x00, 0x15, 0x11, b'S', b'Q', 0, 0];
        sequence.extend((item.len() as u32).to_le_bytes());
        sequence.extend(&item);
        assert!(check(&file(&sequence), Path::new("x.dcm")).is_err());
    }

    #[test]
    fn every_test_dicom_file_passes() {
        for dir in [
            "dicom/STS_019",
            "dicom/STS_019/ct",
            "dicom/STS_042",
            "dicom/STS_042/ct",
        ] {
            let dir = radsurv_testdata::data_path(dir);
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "dcm") {
                    let bytes = std::fs::read(&path).unwrap();
                    assert!(check(&bytes, &path).is_ok(), "{}", path.display());
                }
            }
        }
    }
}
