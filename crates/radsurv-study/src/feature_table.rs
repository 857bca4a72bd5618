//! The features table `radsurv extract --manifest` writes, and the Python binding with it:
//! `case_id`, `reader` when the manifest names readers, `roi` and `label` when every region of a
//! mask is its own row, then one column per feature key; values
//! in Rust's shortest decimal form that reads back to the same double. Text key cells (case id,
//! reader, ROI) are [`spreadsheet_safe`], so a spreadsheet does not run an id like `=1+2` as a
//! formula; [`key_text`] reads them back. Numbers are written as they are.

use crate::files::{spreadsheet_safe, spreadsheet_text};
use crate::manifest::ManifestEntry;

/// The optional key columns a table has: `reader` when any manifest entry names a reader,
/// `roi` and `label` when each region of a mask is its own row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyColumns {
    /// A `reader` column.
    pub reader: bool,
    /// `roi` and `label` columns.
    pub region: bool,
}

impl KeyColumns {
    /// The key columns for these entries: `reader` when any entry names one.
    pub fn for_entries(entries: &[ManifestEntry], region: bool) -> Self {
        Self {
            reader: entries.iter().any(|e| e.reader.is_some()),
            region,
        }
    }
}

/// What identifies one row: the case, its reader, and the region when rows are per region.
#[derive(Debug, Clone, Copy)]
pub struct RowKey<'a> {
    /// The manifest's case id.
    pub case_id: &'a str,
    /// The reader, when the entry names one.
    pub reader: Option<&'a str>,
    /// The region's name and number (ROI, segment or label), when rows are per region.
    pub region: Option<(&'a str, i64)>,
}

/// Why one case's features do not fit the table of a run whose parameter file gives `expected`
/// keys, if they do not: the first key missing and the first one extra. PyRadiomics skips a LoG
/// sigma too large for an image, so such a case lacks that image's features.
pub fn keys_mismatch<'a>(
    expected: &[String],
    names: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let names: Vec<&str> = names.into_iter().collect();
    if names
        .iter()
        .copied()
        .eq(expected.iter().map(String::as_str))
    {
        return None;
    }
    let missing = expected.iter().find(|k| !names.contains(&k.as_str()));
    let extra = names.iter().find(|n| !expected.iter().any(|k| k == *n));
    let mut reason = format!(
        "its {} features do not match the parameter file's {}",
        names.len(),
        expected.len()
    );
    if let Some(key) = missing {
        reason.push_str(&format!("; missing {key:?}"));
        if key.starts_with("log-sigma") {
            reason.push_str(" (a LoG sigma too large for this image gives no image)");
        }
    }
    if let Some(key) = extra {
        reason.push_str(&format!("; unexpected {key:?}"));
    }
    if missing.is_none() && extra.is_none() {
        reason.push_str(": the same keys in another order, or one repeated");
    }
    Some(reason)
}

/// The header: `case_id`, the key columns present, then the feature keys.
pub fn header(feature_keys: Vec<String>, columns: KeyColumns) -> Vec<String> {
    let mut header = vec!["case_id".to_string()];
    if columns.reader {
        header.push("reader".to_string());
    }
    if columns.region {
        header.extend(["roi".to_string(), "label".to_string()]);
    }
    header.extend(feature_keys);
    header
}

/// One row's fields in header order (a key the row lacks gets an empty cell), the feature
/// values in the header's order.
pub fn fields(
    key: &RowKey<'_>,
    columns: KeyColumns,
    values: impl IntoIterator<Item = f64>,
) -> Vec<String> {
    let mut fields = vec![spreadsheet_safe(key.case_id)];
    if columns.reader {
        fields.push(spreadsheet_safe(key.reader.unwrap_or_default()));
    }
    if columns.region {
        let (name, number) = key
            .region
            .map_or((String::new(), String::new()), |(name, number)| {
                (spreadsheet_safe(name), number.to_string())
            });
        fields.extend([name, number]);
    }
    fields.extend(values.into_iter().map(|v| v.to_string()));
    fields
}

/// The text a key cell (case id, reader, ROI) of a written table holds.
pub fn key_text(cell: &str) -> &str {
    spreadsheet_text(cell)
}

/// Fields as one CSV record, quoted where needed, with its line terminator.
///
/// # Errors
/// The CSV writer's error (it writes to memory, so in practice none).
pub fn csv_record(fields: &[String]) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(fields)?;
    let bytes = w
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_whose_keys_differ_is_told_the_first_missing_and_extra_key() {
        let expected: Vec<String> = ["a", "log-sigma-3-0-mm-3D_b", "c"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            keys_mismatch(&expected, ["a", "log-sigma-3-0-mm-3D_b", "c"]),
            None
        );
        let short = keys_mismatch(&expected, ["a", "c"]).unwrap();
        assert!(
            short.contains("its 2 features do not match the parameter file's 3")
                && short.contains("missing \"log-sigma-3-0-mm-3D_b\" (a LoG sigma")
                && !short.contains("unexpected"),
            "{short}"
        );
        let renamed = keys_mismatch(&expected, ["a", "log-sigma-3-0-mm-3D_b", "d"]).unwrap();
        assert!(
            renamed.contains("missing \"c\"; unexpected \"d\""),
            "{renamed}"
        );
        let reordered = keys_mismatch(&expected, ["c", "log-sigma-3-0-mm-3D_b", "a"]).unwrap();
        assert!(reordered.contains("another order"), "{reordered}");
    }

    #[test]
    fn reader_column_only_when_a_reader_is_named_and_numbers_round_trip() {
        let features = [0.1 + 0.2, 1e-7];
        let plain = KeyColumns {
            reader: false,
            region: false,
        };
        let header = header(vec!["a".into(), "b".into()], plain);
        assert_eq!(header, ["case_id", "a", "b"]);
        let key = RowKey {
            case_id: "p,1",
            reader: Some("B"),
            region: None,
        };
        let line = csv_record(&fields(&key, plain, features)).unwrap();
        assert_eq!(line, "\"p,1\",0.30000000000000004,0.0000001\n");
        let all = KeyColumns {
            reader: true,
            region: true,
        };
        let key = RowKey {
            case_id: "p",
            reader: None,
            region: Some(("GTV", 2)),
        };
        assert_eq!(fields(&key, all, features)[..4], ["p", "", "GTV", "2"]);
        let hostile = RowKey {
            case_id: "=1+2",
            reader: Some("@r"),
            region: Some(("-GTV", 2)),
        };
        let negative = [-1.5, 1e-7];
        let written = fields(&hostile, all, negative);
        assert_eq!(written, ["'=1+2", "'@r", "'-GTV", "2", "-1.5", "0.0000001"]);
        assert_eq!(key_text(&written[0]), "=1+2");
    }
}
